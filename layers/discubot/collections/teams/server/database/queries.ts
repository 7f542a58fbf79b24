import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import type { TeamRole } from '../../../../shared/domain'
import { discubotTeamMembers, discubotTeams, discubotUsers, type DiscubotTeam, type DiscubotUser } from './schema'

export async function createDiscubotTeam(input: { name: string, slug: string, createdBy?: string }): Promise<DiscubotTeam> {
  const by = input.createdBy ?? SYSTEM_USER_ID
  const [row] = await useDb().insert(discubotTeams).values({ name: input.name, slug: input.slug, createdBy: by, updatedBy: by }).returning()
  return row!
}

export async function getDiscubotTeamBySlug(slug: string): Promise<DiscubotTeam | undefined> {
  const [row] = await useDb().select().from(discubotTeams).where(eq(discubotTeams.slug, slug))
  return row
}

export async function getDiscubotTeamById(id: string): Promise<DiscubotTeam | undefined> {
  const [row] = await useDb().select().from(discubotTeams).where(eq(discubotTeams.id, id))
  return row
}

export async function createDiscubotUser(input: { email: string, name: string, passwordHash?: string | null, setupTokenHash?: string | null, createdBy?: string }): Promise<DiscubotUser> {
  const by = input.createdBy ?? SYSTEM_USER_ID
  const [row] = await useDb().insert(discubotUsers).values({
    email: input.email.trim().toLowerCase(),
    name: input.name,
    passwordHash: input.passwordHash ?? null,
    setupTokenHash: input.setupTokenHash ?? null,
    createdBy: by,
    updatedBy: by,
  }).returning()
  return row!
}

export async function updateDiscubotUser(id: string, patch: Partial<Pick<DiscubotUser, 'name' | 'passwordHash' | 'setupTokenHash' | 'lastLoginAt'>>, userId: string = SYSTEM_USER_ID) {
  const [row] = await useDb().update(discubotUsers).set({ ...patch, updatedBy: userId, updatedAt: new Date() }).where(eq(discubotUsers.id, id)).returning()
  return row
}

export async function getDiscubotUserByEmail(email: string): Promise<DiscubotUser | undefined> {
  const [row] = await useDb().select().from(discubotUsers).where(eq(discubotUsers.email, email.trim().toLowerCase()))
  return row
}

export async function addDiscubotTeamMember(input: { teamId: string, userId: string, role: TeamRole, createdBy?: string }) {
  const by = input.createdBy ?? SYSTEM_USER_ID
  const [row] = await useDb().insert(discubotTeamMembers).values({ ...input, createdBy: by, updatedBy: by }).returning()
  return row!
}

export async function getDiscubotMembership(teamId: string, userId: string) {
  const [row] = await useDb().select().from(discubotTeamMembers)
    .where(and(eq(discubotTeamMembers.teamId, teamId), eq(discubotTeamMembers.userId, userId)))
  return row
}

/** What every request checks its session cookie against: the member's role and the user's session version. */
export async function getDiscubotSessionState(teamId: string, userId: string): Promise<{ role: TeamRole, sessionVersion: number } | undefined> {
  const [row] = await useDb().select({ role: discubotTeamMembers.role, sessionVersion: discubotUsers.sessionVersion })
    .from(discubotTeamMembers)
    .innerJoin(discubotUsers, eq(discubotUsers.id, discubotTeamMembers.userId))
    .where(and(eq(discubotTeamMembers.teamId, teamId), eq(discubotTeamMembers.userId, userId)))
  return row
}

/**
 * Ends every session of the user at once, on every instance: the cookies carry the old version.
 * Sign-out calls it; so must a password change and a removal from the team.
 */
export async function endDiscubotUserSessions(userId: string, by: string = SYSTEM_USER_ID): Promise<void> {
  await endDiscubotUserSessionsStatement(userId, by)
}

/** The same, unexecuted, for a batch; `onlyIf` narrows it (e.g. "only if the membership is gone"). */
export function endDiscubotUserSessionsStatement(userId: string, by: string = SYSTEM_USER_ID, onlyIf?: SQL) {
  return useDb().update(discubotUsers)
    .set({ sessionVersion: sql`${discubotUsers.sessionVersion} + 1`, updatedBy: by, updatedAt: new Date() })
    .where(and(eq(discubotUsers.id, userId), onlyIf))
}

/** The user's teams with their role, oldest membership first (the default team at sign-in). */
export async function listDiscubotTeamsOfUser(userId: string) {
  return useDb().select({ team: discubotTeams, role: discubotTeamMembers.role })
    .from(discubotTeamMembers)
    .innerJoin(discubotTeams, eq(discubotTeams.id, discubotTeamMembers.teamId))
    .where(eq(discubotTeamMembers.userId, userId))
    .orderBy(asc(discubotTeamMembers.createdAt))
}
