// Accepting an invite (`/invite?token=…`): a new account chooses its name and password; someone
// who already signs in to Discubot (another team) joins with their current password — the link
// alone never opens an existing account. Either way the invitee lands signed in to the new team.
import type { H3Event } from 'h3'
import { hashOneTimeToken } from '#layers/discubot/server/auth/one-time-token'
import { getDiscubotUserByEmail } from '#layers/discubot/collections/teams/server/database/queries'
import { acceptDiscubotInviteAsExistingUser, acceptDiscubotInviteAsNewUser, getDiscubotTeamInviteByTokenHash } from '#layers/discubot/collections/teams/server/database/invites'
import { newPasswordSchema, type AcceptInviteInput } from '#layers/discubot/shared/auth-input'
import type { InviteCheck } from '#layers/discubot/shared/api'

const NOT_VALID = 'This invite link is not valid: it was already used, revoked, or replaced by a newer invite. Ask a team owner for a new link; if you already accepted it, sign in.'

const badLink = (message: string) => createError({ statusCode: 400, statusMessage: 'Bad Request', message })

/** The invite the link carries, live; a 400 saying what to do otherwise. */
async function liveInvite(token: string) {
  const invite = await getDiscubotTeamInviteByTokenHash(hashOneTimeToken(token))
  if (!invite) throw badLink(NOT_VALID)
  if (invite.expiresAt <= new Date()) throw badLink(`This invite link expired on ${invite.expiresAt.toISOString().slice(0, 10)}. Ask a team owner for a new one.`)
  return invite
}

export async function checkInvite(token: string): Promise<InviteCheck> {
  const invite = await liveInvite(token)
  const existing = await getDiscubotUserByEmail(invite.email)
  return { email: invite.email, teamName: invite.teamName, role: invite.role, expiresAt: invite.expiresAt, existingAccount: Boolean(existing?.passwordHash) }
}

export async function acceptInvite(event: H3Event, input: AcceptInviteInput) {
  const invite = await liveInvite(input.token)
  const existing = await getDiscubotUserByEmail(invite.email)
  if (existing) {
    const { valid } = await checkAccountPassword(event, invite.email, input.password)
    if (!valid) throw badLink(`${invite.email} already has a Discubot account: enter the password you sign in with to join ${invite.teamName}.`)
    if (!await acceptDiscubotInviteAsExistingUser(invite, existing.id)) throw badLink(NOT_VALID)
    return startUserSession(event, existing, invite.teamId)
  }
  const password = newPasswordSchema.safeParse(input.password)
  if (!password.success) throw badLink(`Invalid input: password: ${password.error.issues[0]!.message}`)
  const user = await acceptDiscubotInviteAsNewUser(invite, { name: input.name || invite.email.split('@')[0]!, passwordHash: await hashPassword(input.password) })
  if (!user) throw badLink(NOT_VALID)
  return startUserSession(event, user, invite.teamId)
}
