// What a team's owners do with its people: invite (a one-time link valid 7 days), change roles,
// revoke invites, remove members, make a password reset link. Links are answered once, to the
// owner who made them; only their hashes are stored, and nothing here logs them.
import { hashOneTimeToken, newOneTimeToken, oneTimeLink } from '#layers/discubot/server/auth/one-time-token'
import { useSettings } from '#layers/discubot/server/utils/settings'
import { getDiscubotMembership, getDiscubotUserByEmail } from '#layers/discubot/collections/teams/server/database/queries'
import { deleteDiscubotTeamInvite, listDiscubotTeamInvites, saveDiscubotTeamInvite } from '#layers/discubot/collections/teams/server/database/invites'
import {
  changeDiscubotMemberRole,
  countDiscubotTeamsOfUser,
  getDiscubotTeamMember,
  listDiscubotTeamMembers,
  removeDiscubotMember,
  saveDiscubotPasswordReset,
  type TeamMemberItem,
} from '#layers/discubot/collections/teams/server/database/members'
import type { DiscubotTeamInvite } from '#layers/discubot/collections/teams/server/database/schema'
import type { TeamRole } from '#layers/discubot/shared/domain'
import type { InviteInput } from '#layers/discubot/shared/team-input'
import type { TeamSession } from './session'
import type { InviteCreated, OneTimeLink, TeamInvite, TeamMember, TeamMembers } from '#layers/discubot/shared/api'

export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60_000
export const PASSWORD_RESET_LIFETIME_MS = 24 * 60 * 60_000
const LAST_OWNER = 'A team needs an owner: make someone else an owner first'

function publicInvite(invite: DiscubotTeamInvite, now = new Date()): TeamInvite {
  return { id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt, createdAt: invite.createdAt, expired: invite.expiresAt <= now }
}

function asMember(member: TeamMemberItem, session: TeamSession): TeamMember {
  return { ...member, you: member.userId === session.user.id }
}

async function memberOr404(session: TeamSession, userId: string): Promise<TeamMemberItem> {
  return foundOr404(await getDiscubotTeamMember(session.teamId, userId), 'Team member')
}

export async function listTeam(session: TeamSession): Promise<TeamMembers> {
  const [members, invites] = await Promise.all([listDiscubotTeamMembers(session.teamId), listDiscubotTeamInvites(session.teamId)])
  return { members: members.map(member => asMember(member, session)), invites: invites.map(invite => publicInvite(invite)) }
}

export async function inviteTeammate(session: TeamSession, input: InviteInput): Promise<InviteCreated> {
  const existing = await getDiscubotUserByEmail(input.email)
  if (existing && await getDiscubotMembership(session.teamId, existing.id)) {
    throw createError({ statusCode: 409, statusMessage: 'Conflict', message: `${input.email} is already a member of this team; change their role instead` })
  }
  const token = newOneTimeToken()
  const expiresAt = new Date(Date.now() + INVITE_LIFETIME_MS)
  const invite = await saveDiscubotTeamInvite({ teamId: session.teamId, email: input.email, role: input.role, tokenHash: hashOneTimeToken(token), expiresAt, createdBy: session.user.id })
  return { url: oneTimeLink(useSettings().publicBaseUrl, 'invite', token), expiresAt, invite: publicInvite(invite) }
}

export async function revokeInvite(session: TeamSession, id: string): Promise<void> {
  if (!await deleteDiscubotTeamInvite(session.teamId, id)) foundOr404(undefined, 'Invite')
}

export async function changeMemberRole(session: TeamSession, userId: string, role: TeamRole): Promise<TeamMember> {
  const member = await memberOr404(session, userId)
  if (!await changeDiscubotMemberRole(session.teamId, userId, role, session.user.id)) {
    throw createError({ statusCode: 409, statusMessage: 'Conflict', message: LAST_OWNER })
  }
  return asMember({ ...member, role }, session)
}

export async function removeMember(session: TeamSession, userId: string): Promise<void> {
  await memberOr404(session, userId)
  if (!await removeDiscubotMember(session.teamId, userId, session.user.id)) {
    throw createError({ statusCode: 409, statusMessage: 'Conflict', message: `${LAST_OWNER}, then remove this one` })
  }
}

/**
 * A link for a member to choose a new password. Only for someone this team alone vouches for: a
 * member of another team too could be an owner there, and no owner may take over such an account.
 */
export async function createPasswordResetLink(session: TeamSession, userId: string): Promise<OneTimeLink> {
  const member = await memberOr404(session, userId)
  if (await countDiscubotTeamsOfUser(userId) > 1) {
    throw createError({ statusCode: 409, statusMessage: 'Conflict', message: `${member.email} also belongs to another team, so only they can change their password (signed in, under Settings)` })
  }
  const token = newOneTimeToken()
  const expiresAt = new Date(Date.now() + PASSWORD_RESET_LIFETIME_MS)
  await saveDiscubotPasswordReset({ teamId: session.teamId, userId, tokenHash: hashOneTimeToken(token), expiresAt, createdBy: session.user.id })
  return { url: oneTimeLink(useSettings().publicBaseUrl, 'reset-password', token), expiresAt }
}
