// A team's members as its owners manage them: roles, removal, password reset links, and a user's
// own password change. A team always keeps an owner: the guard is inside each statement, so two
// owners demoting each other at once cannot both succeed.
import { and, asc, eq, exists, gt, ne, notExists, or, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import type { TeamRole } from '../../../../shared/domain'
import { endDiscubotUserSessionsStatement } from './queries'
import { discubotPasswordResets, discubotTeamMembers, discubotUsers, type DiscubotPasswordReset, type DiscubotUser } from './schema'

const members = discubotTeamMembers
const resets = discubotPasswordResets

export async function listDiscubotTeamMembers(teamId: string) {
  return useDb().select({
    userId: members.userId,
    email: discubotUsers.email,
    name: discubotUsers.name,
    role: members.role,
    lastLoginAt: discubotUsers.lastLoginAt,
    joinedAt: members.createdAt,
  }).from(members)
    .innerJoin(discubotUsers, eq(discubotUsers.id, members.userId))
    .where(eq(members.teamId, teamId))
    .orderBy(asc(discubotUsers.name), asc(discubotUsers.email))
}
export type TeamMemberItem = Awaited<ReturnType<typeof listDiscubotTeamMembers>>[number]

export async function getDiscubotTeamMember(teamId: string, userId: string): Promise<TeamMemberItem | undefined> {
  const rows = await listDiscubotTeamMembers(teamId)
  return rows.find(row => row.userId === userId)
}

/** True while someone else owns the team too. */
const anotherOwner = (teamId: string, userId: string) =>
  sql`(SELECT count(*) FROM ${members} other WHERE other.team_id = ${teamId} AND other.role = 'owner' AND other.user_id != ${userId}) > 0`

/** The member's new role; undefined when the change would leave the team without an owner (or no such member). */
export async function changeDiscubotMemberRole(teamId: string, userId: string, role: TeamRole, by: string) {
  const [row] = await useDb().update(members)
    .set({ role, updatedBy: by, updatedAt: new Date() })
    .where(and(eq(members.teamId, teamId), eq(members.userId, userId), role === 'owner' ? undefined : or(ne(members.role, 'owner'), anotherOwner(teamId, userId))))
    .returning()
  return row
}

/**
 * Removes a member (never the last owner): the membership, every session of theirs (also those in
 * other teams: the version is per user), and the account itself when it was their last team, so a
 * later invite starts afresh. False when nothing was removed. The caller makes sure `userId` is a
 * member of the team: the account is deleted by "no team left", not by who asked.
 */
export async function removeDiscubotMember(teamId: string, userId: string, by: string): Promise<boolean> {
  const db = useDb()
  const removable = and(eq(members.teamId, teamId), eq(members.userId, userId), or(ne(members.role, 'owner'), anotherOwner(teamId, userId)))
  const [, removed] = await db.batch([
    // Before the delete, under the same condition: only a removal ends the sessions.
    endDiscubotUserSessionsStatement(userId, by, exists(db.select({ one: sql`1` }).from(members).where(removable))),
    db.delete(members).where(removable).returning({ userId: members.userId }),
    db.delete(discubotUsers).where(and(eq(discubotUsers.id, userId), notExists(db.select({ one: sql`1` }).from(members).where(eq(members.userId, userId))))),
  ])
  return removed.length > 0
}

/** How many teams the user belongs to: a reset link is only for someone this team alone vouches for. */
export async function countDiscubotTeamsOfUser(userId: string): Promise<number> {
  const [row] = await useDb().select({ n: sql<number>`count(*)` }).from(members).where(eq(members.userId, userId))
  return Number(row?.n ?? 0)
}

/** One live reset link per user: a new one replaces the last. */
export async function saveDiscubotPasswordReset(input: { teamId: string, userId: string, tokenHash: string, expiresAt: Date, createdBy: string }): Promise<DiscubotPasswordReset> {
  const now = new Date()
  const [row] = await useDb().insert(resets).values({ ...input, updatedBy: input.createdBy })
    .onConflictDoUpdate({
      target: resets.userId,
      set: { teamId: input.teamId, tokenHash: input.tokenHash, expiresAt: input.expiresAt, createdBy: input.createdBy, createdAt: now, updatedBy: input.createdBy, updatedAt: now },
    })
    .returning()
  return row!
}

export async function getDiscubotPasswordResetByTokenHash(tokenHash: string): Promise<(DiscubotPasswordReset & { email: string }) | undefined> {
  const [row] = await useDb().select({ reset: resets, email: discubotUsers.email })
    .from(resets).innerJoin(discubotUsers, eq(discubotUsers.id, resets.userId))
    .where(eq(resets.tokenHash, tokenHash))
  return row && { ...row.reset, email: row.email }
}

/**
 * Sets the password a live reset link allows and burns the link, in one batch; every session of
 * the user ends. Undefined when the link is unknown, expired or was just used.
 */
export async function completeDiscubotPasswordReset(tokenHash: string, passwordHash: string, now = new Date()): Promise<DiscubotUser | undefined> {
  const db = useDb()
  const live = and(eq(resets.tokenHash, tokenHash), gt(resets.expiresAt, now))
  const [updated] = await db.batch([
    db.update(discubotUsers)
      .set({ passwordHash, sessionVersion: sql`${discubotUsers.sessionVersion} + 1`, updatedBy: sql`${discubotUsers.id}`, updatedAt: now })
      .where(sql`${discubotUsers.id} = (SELECT ${resets.userId} FROM ${resets} WHERE ${live})`)
      .returning(),
    db.delete(resets).where(live),
  ])
  return updated[0]
}

/** A user's own new password: every session of theirs ends; the new session version is returned for the one that asked. */
export async function changeDiscubotUserPassword(userId: string, passwordHash: string): Promise<number | undefined> {
  const db = useDb()
  const [, ended] = await db.batch([
    db.update(discubotUsers).set({ passwordHash, updatedBy: userId, updatedAt: new Date() }).where(eq(discubotUsers.id, userId)),
    endDiscubotUserSessionsStatement(userId, userId).returning({ sessionVersion: discubotUsers.sessionVersion }),
  ])
  return ended[0]?.sessionVersion
}
