// First boot: the first admin, owner of the default team. From NUXT_ADMIN_EMAIL/NUXT_ADMIN_PASSWORD
// when both are set; otherwise, while nobody can sign in, a one-time setup link in the log.
import { consola } from 'consola'
import { useDb } from '../utils/db'
import { hashAdminPassword } from '../auth/password'
import { hashSetupToken, newSetupToken, setupLink } from '../auth/setup-token'
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

export type FirstAdminOutcome =
  | { kind: 'env-admin-created', userId: string }
  | { kind: 'env-admin-exists', userId: string }
  | { kind: 'setup-link', link: string }
  | { kind: 'none' }

export async function ensureFirstAdmin(ctx: BootstrapContext, log = consola): Promise<FirstAdminOutcome> {
  const email = String(ctx.runtimeConfig.adminEmail ?? '').trim()
  const password = String(ctx.runtimeConfig.adminPassword ?? '')
  if (email && password) return ensureEnvAdmin(ctx.defaultTeam, email, password)
  if (email || password) log.warn('[bootstrap] NUXT_ADMIN_EMAIL and NUXT_ADMIN_PASSWORD work only together; ignoring the one that is set')
  if (await countDiscubotUsersWithPassword() > 0) return { kind: 'none' }

  const token = newSetupToken()
  await storeSetupToken(ctx.defaultTeam, hashSetupToken(token))
  const link = setupLink(ctx.settings.publicBaseUrl, token)
  // Printed, never stored: each boot before setup issues a fresh link and voids the previous one.
  log.box(`Discubot has no admin yet. Open this one-time link to create one:\n\n${link}`)
  return { kind: 'setup-link', link }
}

/** Created once; a later boot leaves its password alone (it may have been changed since). */
async function ensureEnvAdmin(team: DiscubotTeam, email: string, password: string): Promise<FirstAdminOutcome> {
  const existing = await getDiscubotUserByEmail(email)
  if (existing) {
    if (!await getDiscubotMembership(team.id, existing.id)) {
      await addDiscubotTeamMember(useDb(), { teamId: team.id, userId: existing.id, role: 'owner' })
    }
    return { kind: 'env-admin-exists', userId: existing.id }
  }
  const passwordHash = await hashAdminPassword(password)
  try {
    const user = await useDb().transaction(async (tx) => {
      const created = await createDiscubotUser(tx, { email, name: email.split('@')[0] || 'Admin', passwordHash })
      await addDiscubotTeamMember(tx, { teamId: team.id, userId: created.id, role: 'owner' })
      return created
    })
    await retireSetupPlaceholder()
    return { kind: 'env-admin-created', userId: user.id }
  }
  catch (error) {
    // Another instance booting at the same time created it (unique email).
    const raced = await getDiscubotUserByEmail(email)
    if (raced) return { kind: 'env-admin-exists', userId: raced.id }
    throw error
  }
}

async function storeSetupToken(team: DiscubotTeam, setupTokenHash: string) {
  const placeholder = await getDiscubotUserByEmail(SETUP_PLACEHOLDER_EMAIL)
  if (placeholder) {
    await updateDiscubotUser(useDb(), placeholder.id, { setupTokenHash })
    return
  }
  await useDb().transaction(async (tx) => {
    const created = await createDiscubotUser(tx, { email: SETUP_PLACEHOLDER_EMAIL, name: 'Admin', setupTokenHash })
    await addDiscubotTeamMember(tx, { teamId: team.id, userId: created.id, role: 'owner' })
  })
}

/** An env-configured admin makes a pending setup link pointless. */
async function retireSetupPlaceholder() {
  const placeholder = await getDiscubotUserByEmail(SETUP_PLACEHOLDER_EMAIL)
  if (placeholder && !placeholder.passwordHash) await deleteDiscubotUser(useDb(), placeholder.id)
}
