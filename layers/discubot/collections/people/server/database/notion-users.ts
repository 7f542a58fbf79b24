// The Notion people a team's integrations can see, cached so every task does not re-read a
// workspace of thousands: replaced as a whole per integration when it is re-read.
import { and, asc, eq, inArray, lt, max, sql } from 'drizzle-orm'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { derivedId } from '../../../../server/utils/derived-id'
import { discubotNotionUsers, type DiscubotNotionUser } from './schema'

export interface NotionPersonProfile {
  id: string
  name: string | null
  email: string | null
  avatarUrl: string | null
}

const nu = discubotNotionUsers
/** Rows per INSERT: 8 values each stays far below SQLite's bound-parameter limit. */
const CHUNK = 200

/** When the integration's list was last read for the team; undefined if never. */
export async function notionUsersFetchedAt(teamId: string, integrationKey: string): Promise<Date | undefined> {
  const [row] = await useDb().select({ at: max(nu.fetchedAt) }).from(nu).where(and(eq(nu.teamId, teamId), eq(nu.integrationKey, integrationKey)))
  return row?.at ?? undefined
}

/**
 * The statements that make the cache the integration's list as read at `fetchedAt`: everyone in
 * it upserted, everyone not in it (people who left) removed.
 */
export function replaceNotionUsers(teamId: string, integrationKey: string, people: NotionPersonProfile[], fetchedAt: Date): Write[] {
  const db = useDb()
  const rows = people.map(person => ({
    id: derivedId('notion-user', teamId, integrationKey, person.id),
    teamId,
    integrationKey,
    notionUserId: person.id,
    name: person.name,
    email: person.email?.trim().toLowerCase() || null,
    avatarUrl: person.avatarUrl,
    fetchedAt,
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }))
  const upserts: Write[] = []
  for (let i = 0; i < rows.length; i += CHUNK) {
    upserts.push(db.insert(nu).values(rows.slice(i, i + CHUNK)).onConflictDoUpdate({
      target: [nu.teamId, nu.integrationKey, nu.notionUserId],
      set: { name: sql`excluded.name`, email: sql`excluded.email`, avatarUrl: sql`excluded.avatar_url`, fetchedAt, updatedBy: SYSTEM_USER_ID, updatedAt: fetchedAt },
    }))
  }
  return [...upserts, db.delete(nu).where(and(eq(nu.teamId, teamId), eq(nu.integrationKey, integrationKey), lt(nu.fetchedAt, fetchedAt)))]
}

/** Every Notion person of the team once (the same person may be listed by two integrations), by name. */
export async function listDiscubotNotionUsers(teamId: string): Promise<NotionPersonProfile[]> {
  const rows = await useDb().selectDistinct({ id: nu.notionUserId, name: nu.name, email: nu.email, avatarUrl: nu.avatarUrl })
    .from(nu).where(eq(nu.teamId, teamId)).orderBy(asc(nu.name), asc(nu.notionUserId))
  const seen = new Set<string>()
  return rows.filter(row => !seen.has(row.id) && seen.add(row.id))
}

export async function getDiscubotNotionUsersByIds(teamId: string, notionUserIds: string[], integrationKey?: string): Promise<DiscubotNotionUser[]> {
  if (notionUserIds.length === 0) return []
  return useDb().select().from(nu).where(and(
    eq(nu.teamId, teamId),
    inArray(nu.notionUserId, notionUserIds),
    integrationKey === undefined ? undefined : eq(nu.integrationKey, integrationKey),
  ))
}

export async function getDiscubotNotionUsersByEmails(teamId: string, emails: string[]): Promise<DiscubotNotionUser[]> {
  if (emails.length === 0) return []
  return useDb().select().from(nu).where(and(eq(nu.teamId, teamId), inArray(nu.email, emails.map(email => email.trim().toLowerCase()))))
}
