// Invitations to a team: a hashed one-time token, a role and an expiry. Accepting is a batch
// (account, membership, the invite gone) with ids derived from the invite, so a double submit of
// one link creates one account.
import { and, asc, eq, exists, getTableColumns, gt, sql, type SQL } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { useDb } from '../../../../server/utils/db'
import { derivedId } from '../../../../server/utils/derived-id'
import type { TeamRole } from '../../../../shared/domain'
import { discubotTeamInvites, discubotTeamMembers, discubotTeams, discubotUsers, type DiscubotTeamInvite, type DiscubotUser } from './schema'

const invites = discubotTeamInvites

/** One pending invite per team and e-mail: inviting again replaces the link (the old one stops working). */
export async function saveDiscubotTeamInvite(input: { teamId: string, email: string, role: TeamRole, tokenHash: string, expiresAt: Date, createdBy: string }): Promise<DiscubotTeamInvite> {
  const email = input.email.trim().toLowerCase()
  const now = new Date()
  const [row] = await useDb().insert(invites)
    .values({ ...input, email, updatedBy: input.createdBy })
    .onConflictDoUpdate({
      target: [invites.teamId, invites.email],
      set: { role: input.role, tokenHash: input.tokenHash, expiresAt: input.expiresAt, createdBy: input.createdBy, createdAt: now, updatedBy: input.createdBy, updatedAt: now },
    })
    .returning()
  return row!
}

export async function listDiscubotTeamInvites(teamId: string): Promise<DiscubotTeamInvite[]> {
  return useDb().select().from(invites).where(eq(invites.teamId, teamId)).orderBy(asc(invites.createdAt))
}

/** The invite a link carries (expired ones too, so the answer can say so), with its team's name. */
export async function getDiscubotTeamInviteByTokenHash(tokenHash: string): Promise<(DiscubotTeamInvite & { teamName: string }) | undefined> {
  const [row] = await useDb().select({ invite: invites, teamName: discubotTeams.name })
    .from(invites).innerJoin(discubotTeams, eq(discubotTeams.id, invites.teamId))
    .where(eq(invites.tokenHash, tokenHash))
  return row && { ...row.invite, teamName: row.teamName }
}

/** Revokes a pending invite; false when the team has no such invite. */
export async function deleteDiscubotTeamInvite(teamId: string, id: string): Promise<boolean> {
  const rows = await useDb().delete(invites).where(and(eq(invites.teamId, teamId), eq(invites.id, id))).returning({ id: invites.id })
  return rows.length > 0
}

/** Only a live link takes effect: not expired, and still the invite's current token. */
function liveInvite(invite: DiscubotTeamInvite, now: Date) {
  return and(eq(invites.id, invite.id), eq(invites.tokenHash, invite.tokenHash), gt(invites.expiresAt, now))
}

/**
 * `INSERT INTO table SELECT <values> FROM <from> WHERE <condition>`: the row is written only if the
 * condition still holds when the batch commits (e.g. the invite was not revoked or used meanwhile).
 * Every column is given, in the table's order, as INSERT … SELECT requires.
 */
function insertWhere<T extends SQLiteTable>(table: T, values: Record<keyof T['$inferSelect'], unknown>, from: SQLiteTable, condition: SQL | undefined) {
  const db = useDb()
  const fields = Object.fromEntries(Object.keys(getTableColumns(table)).map((key) => {
    const value = values[key as keyof T['$inferSelect']]
    return [key, sql`${value instanceof Date ? value.getTime() : value ?? null}`]
  }))
  return db.insert(table).select(db.select(fields).from(from).where(condition) as never)
}

function membership(invite: DiscubotTeamInvite, userId: string, now: Date) {
  return { teamId: invite.teamId, userId, role: invite.role, createdBy: invite.createdBy, updatedBy: userId, createdAt: now, updatedAt: now }
}

/**
 * A new account from an invite, with its membership, in one batch that writes only while the link
 * is live. The account's id comes from the invite: of two submits of one link, the second inserts
 * nothing and finds another password hash (then undefined is answered).
 */
export async function acceptDiscubotInviteAsNewUser(invite: DiscubotTeamInvite, input: { name: string, passwordHash: string }, now = new Date()): Promise<DiscubotUser | undefined> {
  const db = useDb()
  const userId = derivedId('invited-user', invite.id)
  const ours = and(eq(discubotUsers.id, userId), eq(discubotUsers.passwordHash, input.passwordHash))
  await db.batch([
    insertWhere(discubotUsers, {
      id: userId, email: invite.email, name: input.name, passwordHash: input.passwordHash, setupTokenHash: null, lastLoginAt: null,
      sessionVersion: 0, createdBy: userId, updatedBy: userId, createdAt: now, updatedAt: now,
    }, invites, liveInvite(invite, now)).onConflictDoNothing(),
    // Only with the account this submit made: an address that got an account meanwhile gets nothing here.
    insertWhere(discubotTeamMembers, membership(invite, userId, now), discubotUsers, ours).onConflictDoNothing(),
    db.delete(invites).where(and(liveInvite(invite, now), exists(db.select({ id: discubotUsers.id }).from(discubotUsers).where(ours)))),
  ])
  const [user] = await db.select().from(discubotUsers).where(eq(discubotUsers.id, userId))
  return user?.passwordHash === input.passwordHash ? user : undefined
}

/** Someone with an account (another team's member) joins with the invite's role; false if the link died meanwhile. */
export async function acceptDiscubotInviteAsExistingUser(invite: DiscubotTeamInvite, userId: string, now = new Date()): Promise<boolean> {
  const db = useDb()
  const [, removed] = await db.batch([
    insertWhere(discubotTeamMembers, membership(invite, userId, now), invites, liveInvite(invite, now)).onConflictDoNothing(),
    db.delete(invites).where(liveInvite(invite, now)).returning({ id: invites.id }),
  ])
  return removed.length > 0
}
