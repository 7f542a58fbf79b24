// Guards of the admin APIs. The cookie names the team; the role is read from the membership row on
// every request, so a removed member or a demoted owner loses access at once, not at sign-out.
import type { H3Event } from 'h3'
import type { User } from '#auth-utils'
import type { TeamRole } from '#layers/discubot/shared/domain'
import { getDiscubotMembership, getDiscubotTeamById } from '#layers/discubot/collections/teams/server/database/queries'
import { DEFAULT_TEAM_SLUG } from '#layers/discubot/server/bootstrap/default-team'

export interface TeamSession {
  user: User
  teamId: string
  role: TeamRole
}

export async function requireTeamSession(event: H3Event): Promise<TeamSession> {
  const session = await getUserSession(event)
  if (!session.user || !session.teamId) throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'Sign in to continue' })
  const membership = await getDiscubotMembership(session.teamId, session.user.id)
  if (!membership) {
    await clearUserSession(event)
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'You are no longer a member of this team; sign in again' })
  }
  return { user: session.user, teamId: session.teamId, role: membership.role }
}

export async function requireTeamOwner(event: H3Event): Promise<TeamSession> {
  const session = await requireTeamSession(event)
  if (session.role !== 'owner') throw createError({ statusCode: 403, statusMessage: 'Forbidden', message: 'Only a team owner can do this' })
  return session
}

/** Instance-wide settings (retention, cleanup) belong to the owners of the default team. */
export async function requireInstanceAdmin(event: H3Event): Promise<TeamSession> {
  const session = await requireTeamOwner(event)
  const team = await getDiscubotTeamById(session.teamId)
  if (team?.slug !== DEFAULT_TEAM_SLUG) throw createError({ statusCode: 403, statusMessage: 'Forbidden', message: 'Only an owner of the default team can change instance settings' })
  return session
}
