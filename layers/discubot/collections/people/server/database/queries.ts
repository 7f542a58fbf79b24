// The people of a team's threads: their cached profiles (written by thread_building in its fenced
// batch), their Notion person, and the People page's list. Every statement is scoped by team.
import { and, asc, count, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { derivedId } from '../../../../server/utils/derived-id'
import { containsText, dateRange, offsetOf } from '../../../../server/database/query-helpers'
import type { NotionMatch, PeopleSource } from '../../../../shared/domain'
import type { Page, PeopleListQuery } from '../../../../shared/list-query'
import type { SourceUserProfile } from '../../../../shared/people'
import { discubotNotionUsers, discubotSourceUsers, type DiscubotSourceUser } from './schema'

/** Where a source user id is unique: Slack ids per workspace, Figma ids everywhere. */
export interface SourceUserScope {
  teamId: string
  source: PeopleSource
  workspaceId: string
}

const su = discubotSourceUsers
const identity = [su.teamId, su.source, su.workspaceId, su.sourceUserId]

/** The same person met by two jobs at once gets one id, so racing inserts meet on the primary key too. */
export function sourceUserRowId(scope: SourceUserScope, sourceUserId: string): string {
  return derivedId('source-user', scope.teamId, scope.source, scope.workspaceId, sourceUserId)
}

export async function getDiscubotSourceUsersByIdentity(scope: SourceUserScope, sourceUserIds: string[]): Promise<DiscubotSourceUser[]> {
  if (sourceUserIds.length === 0) return []
  return useDb().select().from(su).where(and(
    eq(su.teamId, scope.teamId), eq(su.source, scope.source), eq(su.workspaceId, scope.workspaceId), inArray(su.sourceUserId, sourceUserIds),
  ))
}

export async function getDiscubotSourceUser(teamId: string, id: string): Promise<DiscubotSourceUser | undefined> {
  const [row] = await useDb().select().from(su).where(and(eq(su.teamId, teamId), eq(su.id, id)))
  return row
}

/** The profile as the source just described it; the Notion columns are left as they are. */
export function recordSourceUserProfile(scope: SourceUserScope, profile: SourceUserProfile, fetchedAt: Date): Write {
  const columns = {
    displayName: profile.displayName,
    realName: profile.realName,
    email: profile.email?.trim().toLowerCase() || null,
    avatarUrl: profile.avatarUrl,
    isBot: profile.isBot,
    fetchedAt,
  }
  return useDb().insert(su)
    .values({ id: sourceUserRowId(scope, profile.sourceUserId), ...scope, sourceUserId: profile.sourceUserId, ...columns, createdBy: SYSTEM_USER_ID, updatedBy: SYSTEM_USER_ID })
    .onConflictDoUpdate({ target: identity, set: { ...columns, updatedBy: SYSTEM_USER_ID, updatedAt: fetchedAt } })
}

/**
 * Someone the source could not describe: listed by id, so an owner can still map them; a profile
 * read before is kept. `askedAt` when the source's answer lasts (not found): it is recorded as the
 * time the source was asked, so the id is not looked up again before the refresh period.
 */
export function recordSeenSourceUser(scope: SourceUserScope, sourceUserId: string, askedAt?: Date): Write {
  const insert = useDb().insert(su)
    .values({ id: sourceUserRowId(scope, sourceUserId), ...scope, sourceUserId, fetchedAt: askedAt ?? null, createdBy: SYSTEM_USER_ID, updatedBy: SYSTEM_USER_ID })
  return askedAt
    ? insert.onConflictDoUpdate({ target: identity, set: { fetchedAt: askedAt, updatedBy: SYSTEM_USER_ID, updatedAt: askedAt } })
    : insert.onConflictDoNothing()
}

const nu = discubotNotionUsers

/** One Notion person of the team by e-mail (any integration listed them; the newest listing wins). */
const notionByEmail = sql`(SELECT ${nu.notionUserId} FROM ${nu} WHERE ${nu.teamId} = ${su.teamId} AND ${nu.email} = ${su.email} ORDER BY ${nu.fetchedAt} DESC LIMIT 1)`
/** The one Notion person whose name is exactly the source user's name; none when two share it. */
const notionBySameName = sql`(SELECT CASE WHEN count(DISTINCT ${nu.notionUserId}) = 1 THEN max(${nu.notionUserId}) END FROM ${nu}
  WHERE ${nu.teamId} = ${su.teamId} AND lower(${nu.name}) = lower(coalesce(${su.realName}, ${su.displayName})))`

/**
 * Matches the team's people to Notion people: by e-mail (applied, unless an owner decided
 * otherwise) and by exact name (a suggestion only). Set-based and idempotent, so the pipeline runs
 * it whenever profiles or the Notion list change; rows already right are left untouched.
 */
export function matchSourceUsersToNotion(teamId: string): Write[] {
  const db = useDb()
  const now = new Date()
  const automatic = or(isNull(su.notionMatch), eq(su.notionMatch, 'email'))
  return [
    db.update(su).set({
      notionUserId: notionByEmail,
      notionMatch: sql`CASE WHEN ${notionByEmail} IS NULL THEN NULL ELSE 'email' END`,
      updatedBy: SYSTEM_USER_ID,
      updatedAt: now,
    }).where(and(eq(su.teamId, teamId), automatic, sql`${su.notionUserId} IS NOT ${notionByEmail}`)),
    db.update(su).set({ suggestedNotionUserId: notionBySameName, updatedBy: SYSTEM_USER_ID, updatedAt: now })
      .where(and(eq(su.teamId, teamId), sql`${su.suggestedNotionUserId} IS NOT ${notionBySameName}`)),
  ]
}

/** An owner's decision (or an import's): this person's tasks go to `notionUserId`, or to nobody. */
export function setSourceUserNotionPerson(teamId: string, id: string, notionUserId: string | null, match: Extract<NotionMatch, 'manual' | 'import'>, userId: string) {
  return useDb().update(su)
    .set({ notionUserId, notionMatch: notionUserId ? match : 'cleared', updatedBy: userId, updatedAt: new Date() })
    .where(and(eq(su.teamId, teamId), eq(su.id, id)))
}

/** Many decisions at once (a CSV import), all or none. */
export async function applySourceUserNotionPeople(teamId: string, assignments: { id: string, notionUserId: string | null }[], match: Extract<NotionMatch, 'manual' | 'import'>, userId: string): Promise<void> {
  if (assignments.length === 0) return
  const [first, ...rest] = assignments.map(a => setSourceUserNotionPerson(teamId, a.id, a.notionUserId, match, userId))
  await useDb().batch([first!, ...rest])
}

export async function updateSourceUserNotionPerson(teamId: string, id: string, notionUserId: string | null, userId: string): Promise<DiscubotSourceUser | undefined> {
  const [row] = await setSourceUserNotionPerson(teamId, id, notionUserId, 'manual', userId).returning()
  return row
}

/** The team's people whose source id or e-mail is one of `keys` (a CSV names people either way). */
export async function findDiscubotSourceUsersByKeys(teamId: string, keys: string[]): Promise<DiscubotSourceUser[]> {
  if (keys.length === 0) return []
  const lowered = keys.map(key => key.toLowerCase())
  return useDb().select().from(su).where(and(eq(su.teamId, teamId), or(inArray(su.sourceUserId, keys), inArray(su.email, lowered))))
}

const personName = sql<string>`coalesce(${su.realName}, ${su.displayName}, ${su.sourceUserId})`
/** A column of the Notion person a source user column names (aliased: a select renders columns unqualified). */
const notionColumn = (column: 'name' | 'email', idColumn: 'notion_user_id' | 'suggested_notion_user_id') =>
  sql<string | null>`(SELECT n.${sql.raw(column)} FROM ${nu} n WHERE n.team_id = ${su}.team_id AND n.notion_user_id = ${su}.${sql.raw(idColumn)} ORDER BY n.fetched_at DESC LIMIT 1)`

const listColumns = {
  id: su.id,
  source: su.source,
  workspaceId: su.workspaceId,
  sourceUserId: su.sourceUserId,
  displayName: su.displayName,
  realName: su.realName,
  email: su.email,
  avatarUrl: su.avatarUrl,
  isBot: su.isBot,
  fetchedAt: su.fetchedAt,
  notionUserId: su.notionUserId,
  notionMatch: su.notionMatch,
  notionName: notionColumn('name', 'notion_user_id'),
  notionEmail: notionColumn('email', 'notion_user_id'),
  suggestedNotionUserId: su.suggestedNotionUserId,
  suggestedNotionName: notionColumn('name', 'suggested_notion_user_id'),
  suggestedNotionEmail: notionColumn('email', 'suggested_notion_user_id'),
  createdAt: su.createdAt,
}

const selectList = () => useDb().select(listColumns).from(su)
export type SourceUserListItem = Awaited<ReturnType<typeof selectList>>[number]

export async function getDiscubotSourceUserListItem(teamId: string, id: string): Promise<SourceUserListItem | undefined> {
  const [row] = await selectList().where(and(eq(su.teamId, teamId), eq(su.id, id)))
  return row
}

function matchFilter(match: PeopleListQuery['match']): SQL | undefined {
  if (!match) return undefined
  if (match === 'none') return and(isNull(su.notionUserId), isNull(su.suggestedNotionUserId))
  if (match === 'suggested') return and(isNull(su.notionUserId), sql`${su.suggestedNotionUserId} IS NOT NULL`)
  return eq(su.notionMatch, match)
}

export async function listDiscubotSourceUsers(teamId: string, query: PeopleListQuery): Promise<Page<SourceUserListItem>> {
  const where = and(
    eq(su.teamId, teamId),
    query.source ? eq(su.source, query.source) : undefined,
    matchFilter(query.match),
    containsText([su.realName, su.displayName, su.email, su.sourceUserId], query.q),
    dateRange(su.createdAt, query.from, query.to),
  )
  const db = useDb()
  const order = query.sort === 'name' ? personName : su.createdAt
  const [items, [total]] = await Promise.all([
    selectList().where(where)
      .orderBy(...query.order === 'asc' ? [asc(order), asc(su.id)] : [desc(order), desc(su.id)])
      .limit(query.pageSize).offset(offsetOf(query.page, query.pageSize)),
    db.select({ n: count() }).from(su).where(where),
  ])
  return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize }
}
