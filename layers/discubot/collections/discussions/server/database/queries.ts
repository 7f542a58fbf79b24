import { and, count, eq, inArray, isNull } from 'drizzle-orm'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { containsText, dateRange, inTeam, offsetOf, ordering } from '../../../../server/database/query-helpers'
import type { DiscussionListQuery, Page } from '../../../../shared/list-query'
import type { DiscussionStatus, SourceType } from '../../../../shared/domain'
import type { DiscussionInput } from '../../../../shared/schemas'
import { discubotDiscussionCounts, discubotDiscussions, type DiscubotDiscussion, type NewDiscubotDiscussion } from './schema'

export type CreateDiscussionInput = Omit<NewDiscubotDiscussion, 'id' | 'createdBy' | 'updatedBy' | 'createdAt' | 'updatedAt'> & { createdBy?: string }
export type DiscussionPatch = Partial<Omit<NewDiscubotDiscussion, 'id' | 'teamId' | 'createdBy' | 'createdAt' | 'updatedAt'>>

export async function createDiscubotDiscussion(input: CreateDiscussionInput): Promise<DiscubotDiscussion> {
  const by = input.createdBy ?? SYSTEM_USER_ID
  const [row] = await useDb().insert(discubotDiscussions).values({ ...input, createdBy: by, updatedBy: by }).returning()
  return row!
}

/** The discussion of a source thread (unique per team and thread). */
export async function getDiscubotDiscussionByThread(teamId: string, sourceType: SourceType, sourceThreadId: string): Promise<DiscubotDiscussion | undefined> {
  const [row] = await useDb().select().from(discubotDiscussions).where(and(
    eq(discubotDiscussions.teamId, teamId),
    eq(discubotDiscussions.sourceType, sourceType),
    eq(discubotDiscussions.sourceThreadId, sourceThreadId),
  ))
  return row
}

/** The update as a statement, unexecuted: the pipeline commits it inside a fenced batch. */
export function updateDiscubotDiscussionStatement(teamId: string, id: string, patch: DiscussionPatch, userId: string = SYSTEM_USER_ID) {
  return useDb().update(discubotDiscussions)
    .set({ ...patch, updatedBy: userId, updatedAt: new Date() })
    .where(and(eq(discubotDiscussions.teamId, teamId), eq(discubotDiscussions.id, id)))
}

export async function updateDiscubotDiscussion(teamId: string, id: string, patch: DiscussionPatch, userId: string = SYSTEM_USER_ID): Promise<DiscubotDiscussion | undefined> {
  const [row] = await updateDiscubotDiscussionStatement(teamId, id, patch, userId).returning()
  return row
}

export async function getDiscubotDiscussion(teamId: string, id: string): Promise<DiscubotDiscussion | undefined> {
  const [row] = await getDiscubotDiscussionsByIds(teamId, [id])
  return row
}

/**
 * The thread's discussion as the pipeline first sees it: created (processing) unless the thread
 * already has one (unique per team and thread), in which case the existing row is kept. A pasted
 * conversation's discussion is created with its request instead: a derived `id`, pending, by the user.
 */
export function insertDiscussionIfAbsent(teamId: string, sourceConfigId: string | null, input: DiscussionInput, row: { id?: string, status?: 'pending' | 'processing', createdBy?: string } = {}): Write {
  const by = row.createdBy ?? SYSTEM_USER_ID
  return useDb().insert(discubotDiscussions).values({
    ...(row.id ? { id: row.id } : {}),
    teamId,
    sourceType: input.sourceType,
    sourceThreadId: input.sourceThreadId,
    sourceUrl: input.sourceUrl ?? null,
    title: input.title,
    content: input.content,
    authorHandle: input.authorHandle,
    threadRef: input.thread,
    sourceConfigId,
    status: row.status ?? 'processing',
    createdBy: by,
    updatedBy: by,
  }).onConflictDoNothing()
}

/**
 * A new job takes the discussion over (a pasted conversation sent again): pending, `jobId` its
 * current job, only while `previousJobId` still is (null: none yet), so two racing requests move it once.
 */
export function markDiscussionQueued(teamId: string, id: string, jobId: string, previousJobId: string | null, userId: string, at: Date): Write {
  return useDb().update(discubotDiscussions)
    .set({ status: 'pending', syncJobId: jobId, error: null, completedAt: null, updatedBy: userId, updatedAt: at })
    .where(and(
      eq(discubotDiscussions.teamId, teamId),
      eq(discubotDiscussions.id, id),
      previousJobId ? eq(discubotDiscussions.syncJobId, previousJobId) : isNull(discubotDiscussions.syncJobId),
    ))
}

/** The discussion's current job failed for good; a discussion a newer job has taken over is left alone. */
export function markDiscussionFailed(teamId: string, id: string, jobId: string, reason: string, at: Date): Write {
  return useDb().update(discubotDiscussions)
    .set({ status: 'failed', error: reason, updatedBy: SYSTEM_USER_ID, updatedAt: at })
    .where(and(eq(discubotDiscussions.teamId, teamId), eq(discubotDiscussions.id, id), eq(discubotDiscussions.syncJobId, jobId)))
}

/** A retry took over a failed discussion: pending again, `jobId` its current job. Only a failed one moves. */
export function markDiscussionRetryPending(teamId: string, id: string, jobId: string, userId: string, at: Date): Write {
  return useDb().update(discubotDiscussions)
    .set({ status: 'pending', syncJobId: jobId, error: null, updatedBy: userId, updatedAt: at })
    .where(and(eq(discubotDiscussions.teamId, teamId), eq(discubotDiscussions.id, id), eq(discubotDiscussions.status, 'failed')))
}

export async function getDiscubotDiscussionsByIds(teamId: string, ids: string[]): Promise<DiscubotDiscussion[]> {
  if (ids.length === 0) return []
  return useDb().select().from(discubotDiscussions)
    .where(and(inTeam(discubotDiscussions.teamId, teamId), inArray(discubotDiscussions.id, ids)))
}

/** List rows leave out the heavy JSON (thread, analysis): the detail query has them. */
const listColumns = {
  id: discubotDiscussions.id,
  teamId: discubotDiscussions.teamId,
  sourceType: discubotDiscussions.sourceType,
  sourceThreadId: discubotDiscussions.sourceThreadId,
  sourceUrl: discubotDiscussions.sourceUrl,
  title: discubotDiscussions.title,
  authorHandle: discubotDiscussions.authorHandle,
  status: discubotDiscussions.status,
  syncJobId: discubotDiscussions.syncJobId,
  error: discubotDiscussions.error,
  notionTaskIds: discubotDiscussions.notionTaskIds,
  createdAt: discubotDiscussions.createdAt,
  updatedAt: discubotDiscussions.updatedAt,
  completedAt: discubotDiscussions.completedAt,
}
export type DiscussionListItem = Pick<DiscubotDiscussion, keyof typeof listColumns>

function listWhere(teamId: string, query: Partial<DiscussionListQuery>) {
  return and(
    eq(discubotDiscussions.teamId, teamId),
    query.status ? eq(discubotDiscussions.status, query.status) : undefined,
    query.sourceType ? eq(discubotDiscussions.sourceType, query.sourceType) : undefined,
    containsText([discubotDiscussions.title, discubotDiscussions.content, discubotDiscussions.authorHandle], query.q),
    dateRange(discubotDiscussions.createdAt, query.from, query.to),
  )
}

export async function listDiscubotDiscussions(teamId: string, query: DiscussionListQuery): Promise<Page<DiscussionListItem>> {
  const where = listWhere(teamId, query)
  const db = useDb()
  const [items, [total]] = await Promise.all([
    db.select(listColumns).from(discubotDiscussions).where(where)
      .orderBy(...ordering(discubotDiscussions[query.sort], query.order, discubotDiscussions.id))
      .limit(query.pageSize).offset(offsetOf(query.page, query.pageSize)),
    db.select({ n: count() }).from(discubotDiscussions).where(where),
  ])
  return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize }
}

export async function countDiscubotDiscussionsByStatus(teamId: string): Promise<Record<DiscussionStatus, number>> {
  const rows = await useDb().select({ status: discubotDiscussions.status, n: count() })
    .from(discubotDiscussions).where(eq(discubotDiscussions.teamId, teamId)).groupBy(discubotDiscussions.status)
  const counts = { pending: 0, processing: 0, completed: 0, failed: 0 }
  for (const row of rows) counts[row.status] = row.n
  return counts
}

/** The same from the roll-up the triggers of drizzle/0014 keep: the overview's counts. */
export async function countDiscubotDiscussionsByStatusFromRollup(teamId: string): Promise<Record<DiscussionStatus, number>> {
  const rows = await useDb().select({ status: discubotDiscussionCounts.status, n: discubotDiscussionCounts.discussions })
    .from(discubotDiscussionCounts).where(eq(discubotDiscussionCounts.teamId, teamId))
  const counts = { pending: 0, processing: 0, completed: 0, failed: 0 }
  for (const row of rows) counts[row.status] = row.n
  return counts
}
