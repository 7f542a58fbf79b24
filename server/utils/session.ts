// Guards of the admin APIs. The cookie names the team; the role is read from the membership row on
// every request, so a removed member or a demoted owner loses access at once, not at sign-out.
// A session also ends when it goes unused for its lifetime (each use renews it) and when the
// user's session version moves on (sign-out ends every session of the user, on every instance).
import type { H3Event } from 'h3'
import { defaults as sealDefaults } from 'iron-webcrypto'
import type { User } from '#auth-utils'
import type { TeamRole } from '#layers/discubot/shared/domain'
import { endDiscubotUserSessions, getDiscubotSessionState, getDiscubotTeamById } from '#layers/discubot/collections/teams/server/database/queries'
import { DEFAULT_TEAM_SLUG } from '#layers/discubot/server/bootstrap/default-team'
import { useSettings } from '#layers/discubot/server/utils/settings'

export interface TeamSession {
  user: User
  teamId: string
  role: TeamRole
}

const SESSION_ENDED = 'Your session has ended; sign in again'

/** Renewed once this share of its lifetime old: with a week, an active user gets a new cookie daily. */
const RENEW_AFTER = 1 / 7

function lifetimeMs() {
  return useSettings().sessionMaxAgeSeconds * 1000
}

/**
 * Cookie Max-Age and seal TTL counted from now, on every cookie written. Not nuxt-auth-utils'
 * `session.maxAge`: h3 counts that from the session's creation, which survives re-sealing, so it
 * would end an active user's session a week after sign-in however busy they were.
 */
function sealConfig() {
  const maxAge = useSettings().sessionMaxAgeSeconds
  return { cookie: { maxAge }, seal: { ...sealDefaults, ttl: maxAge * 1000 } }
}

function sessionData(session: TeamSession, sessionVersion: number) {
  return { user: session.user, teamId: session.teamId, role: session.role, secure: { sessionVersion, renewedAt: Date.now() } }
}

/** Seals a new session, replacing whatever the cookie held. */
export async function startTeamSession(event: H3Event, session: TeamSession, sessionVersion: number) {
  await replaceUserSession(event, sessionData(session, sessionVersion), sealConfig())
}

type SessionCheck = { session: TeamSession, sessionVersion: number, renewedAt: number } | { ended: string } | undefined

/** The cookie's session checked against its lifetime and the database; undefined when there is none. */
async function checkTeamSession(event: H3Event): Promise<SessionCheck> {
  const data = await getUserSession(event)
  if (!data.user || !data.teamId) return undefined
  // A cookie sealed before sessions had versions has no `secure`: it ends like an expired one.
  const { sessionVersion, renewedAt } = data.secure ?? {}
  // Checked here too, not only by the cookie's expiry: a copied cookie can be replayed after it.
  if (typeof renewedAt !== 'number' || typeof sessionVersion !== 'number' || Date.now() - renewedAt > lifetimeMs()) return { ended: SESSION_ENDED }
  const state = await getDiscubotSessionState(data.teamId, data.user.id)
  if (!state) return { ended: 'You are no longer a member of this team; sign in again' }
  if (state.sessionVersion !== sessionVersion) return { ended: SESSION_ENDED }
  return { session: { user: data.user, teamId: data.teamId, role: state.role }, sessionVersion, renewedAt }
}

export async function requireTeamSession(event: H3Event): Promise<TeamSession> {
  const check = await checkTeamSession(event)
  if (!check) throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'Sign in to continue' })
  if ('ended' in check) {
    await clearUserSession(event)
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: check.ended })
  }
  if (Date.now() - check.renewedAt > lifetimeMs() * RENEW_AFTER) {
    await setUserSession(event, sessionData(check.session, check.sessionVersion), sealConfig())
  }
  return check.session
}

/** Sign-out: every session of the user ends, not only this cookie. An ended session just loses its cookie. */
export async function endTeamSession(event: H3Event) {
  const check = await checkTeamSession(event)
  if (check && 'session' in check) await endDiscubotUserSessions(check.session.user.id, check.session.user.id)
  await clearUserSession(event)
}

/** Any change to the team's work (retry, discard, a pasted discussion): a member or an owner; a viewer only reads. */
export async function requireTeamMember(event: H3Event): Promise<TeamSession> {
  const session = await requireTeamSession(event)
  if (session.role === 'viewer') throw createError({ statusCode: 403, statusMessage: 'Forbidden', message: 'A viewer can look but not change anything; ask an owner for the member role' })
  return session
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
