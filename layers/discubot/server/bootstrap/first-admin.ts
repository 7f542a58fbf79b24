// First boot: the first admin, owner of the default team. From NUXT_ADMIN_EMAIL/NUXT_ADMIN_PASSWORD
// when both are set; otherwise, while nobody can sign in, a one-time setup link in the log.
import { consola } from 'consola'
import { hashAdminPassword } from '../auth/password'
import { hashOneTimeToken, newOneTimeToken, oneTimeLink } from '../auth/one-time-token'
import {
  addDiscubotTeamMember,
  createDiscubotUser,
  getDiscubotMembership,
  getDiscubotUserByEmail,
  updateDiscubotUser,
} from '../../collections/teams/server/database/queries'
import {
  countDiscubotUsersWithPassword,
  deleteDiscubotUser,
  SETUP_PLACEHOLDER_EMAIL,
} from '../../collections/teams/server/database/first-admin'
import type { DiscubotTeam } from '../../collections/teams/server/database/schema'
import type { BootstrapContext } from './index'

export type FirstAdminOutcome
  = | { kind: 'env-admin-created', userId: string }
    | { kind: 'env-admin-exists', userId: string }
    | { kind: 'setup-link', link: string }
    | { kind: 'none' }

export async function ensureFirstAdmin(ctx: BootstrapContext, log = consola): Promise<FirstAdminOutcome> {
  const email = ctx.settings.adminEmail.trim()
  const password = ctx.settings.adminPassword
  if (email && password) return ensureEnvAdmin(ctx.defaultTeam, email, password)
  if (email || password) log.warn('[bootstrap] NUXT_ADMIN_EMAIL and NUXT_ADMIN_PASSWORD work only together; ignoring the one that is set')
  if (await countDiscubotUsersWithPassword() > 0) return { kind: 'none' }

  const token = newOneTimeToken()
  await storeSetupToken(ctx.defaultTeam, hashOneTimeToken(token))
  const link = oneTimeLink(ctx.settings.publicBaseUrl, 'setup', token)
  // Printed, never stored: each boot before setup issues a fresh link and voids the previous one.
  log.box(`Discubot has no admin yet. Open this one-time link to create one:\n\n${link}`)
  return { kind: 'setup-link', link }
}

/**
 * Created once; a later boot leaves its password alone (it may have been changed since). Plain
 * statements, no interactive transaction (which would stall this process's other writers): every
 * step is idempotent, so a boot that stopped half-way is completed by the next.
 */
async function ensureEnvAdmin(team: DiscubotTeam, email: string, password: string): Promise<FirstAdminOutcome> {
  const existing = await getDiscubotUserByEmail(email)
  const user = existing ?? await createUserOnce(email, { email, name: email.split('@')[0] || 'Admin', passwordHash: await hashAdminPassword(password) })
  await ensureOwner(team, user.id)
  if (existing) return { kind: 'env-admin-exists', userId: user.id }
  await retireSetupPlaceholder()
  return { kind: 'env-admin-created', userId: user.id }
}

/** Creates the user, or returns the one another instance booting at the same time created. */
async function createUserOnce(email: string, input: Parameters<typeof createDiscubotUser>[0]) {
  try {
    return await createDiscubotUser(input)
  }
  catch (error) {
    const raced = await getDiscubotUserByEmail(email)
    if (raced) return raced
    throw error
  }
}

async function ensureOwner(team: DiscubotTeam, userId: string) {
  if (await getDiscubotMembership(team.id, userId)) return
  try {
    await addDiscubotTeamMember({ teamId: team.id, userId, role: 'owner' })
  }
  catch (error) {
    if (!await getDiscubotMembership(team.id, userId)) throw error
  }
}

async function storeSetupToken(team: DiscubotTeam, setupTokenHash: string) {
  const placeholder = await getDiscubotUserByEmail(SETUP_PLACEHOLDER_EMAIL)
    ?? await createUserOnce(SETUP_PLACEHOLDER_EMAIL, { email: SETUP_PLACEHOLDER_EMAIL, name: 'Admin' })
  await updateDiscubotUser(placeholder.id, { setupTokenHash })
  await ensureOwner(team, placeholder.id)
}

/** An env-configured admin makes a pending setup link pointless. */
async function retireSetupPlaceholder() {
  const placeholder = await getDiscubotUserByEmail(SETUP_PLACEHOLDER_EMAIL)
  if (placeholder && !placeholder.passwordHash) await deleteDiscubotUser(placeholder.id)
}
