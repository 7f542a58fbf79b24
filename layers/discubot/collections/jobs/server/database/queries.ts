import { and, asc, count, eq, inArray, isNotNull, isNull, min, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { containsText, dateRange, inTeam, offsetOf, ordering } from '../../../../server/database/query-helpers'
import type { JobListQuery, Page } from '../../../../shared/list-query'
import type { JobStatus } from '../../../../shared/domain'
import { discubotJobDailyCounts, discubotJobs, discubotJobStages, type DiscubotJob, type DiscubotJobStage, type NewDiscubotJob } from './schema'

export type CreateJobInput = Omit<NewDiscubotJob, 'id' | 'createdBy' | 'updatedBy' | 'createdAt' | 'updatedAt' | 'runAt'> & { id?: string, runAt?: Date, createdBy?: string }
export type JobPatch = Partial<Omit<NewDiscubotJob, 'id' | 'teamId' | 'createdBy' | 'createdAt' | 'updatedAt'>>

export async function createDiscubotJob(input: CreateJobInput): Promise<DiscubotJob> {
  const by = input.createdBy ?? SYSTEM_USER_ID
  const [row] = await useDb().insert(discubotJobs)
    .values({ ...input, runAt: input.runAt ?? new Date(), createdBy: by, updatedBy: by })
    .returning()
  return row!
}

export async function updateDiscubotJob(teamId: string, id: string, patch: JobPatch, userId: string = SYSTEM_USER_ID): Promise<DiscubotJob | undefined> {
  const [row] = await useDb().update(discubotJobs)
    .set({ ...patch, updatedBy: userId, updatedAt: new Date() })
    .where(and(eq(discubotJobs.teamId, teamId), eq(discubotJobs.id, id)))
    .returning()
  return row
}

export async function getDiscubotJobsByIds(teamId: string, ids: string[]): Promise<DiscubotJob[]> {
  if (ids.length === 0) return []
  return useDb().select().from(discubotJobs).where(and(inTeam(discubotJobs.teamId, teamId), inArray(discubotJobs.id, ids)))
}

export async function getDiscubotJobStages(teamId: string, jobId: string): Promise<DiscubotJobStage[]> {
  return useDb().select().from(discubotJobStages)
    .where(and(eq(discubotJobStages.teamId, teamId), eq(discubotJobStages.jobId, jobId)))
}

/** Jobs of one discussion, oldest first: the retry chain reads from these. */
export async function getDiscubotJobsByDiscussion(teamId: string, discussionId: string): Promise<DiscubotJob[]> {
  return useDb().select().from(discubotJobs)
    .where(and(eq(discubotJobs.teamId, teamId), eq(discubotJobs.discussionId, discussionId)))
    .orderBy(asc(discubotJobs.createdAt))
}

const jobTitle = sql<string>`json_extract(${discubotJobs.payload}, '$.title')`

/** List rows leave out the payload; the title is read out of it. */
const listColumns = {
  id: discubotJobs.id,
  teamId: discubotJobs.teamId,
  sourceType: discubotJobs.sourceType,
  status: discubotJobs.status,
  stage: discubotJobs.stage,
  discussionId: discubotJobs.discussionId,
  retryOfJobId: discubotJobs.retryOfJobId,
  title: jobTitle,
  error: discubotJobs.error,
  runAt: discubotJobs.runAt,
  metadata: discubotJobs.metadata,
  startedAt: discubotJobs.startedAt,
  completedAt: discubotJobs.completedAt,
  discardedAt: discubotJobs.discardedAt,
  createdAt: discubotJobs.createdAt,
  updatedAt: discubotJobs.updatedAt,
}
export type JobListItem = Omit<Pick<DiscubotJob, Exclude<keyof typeof listColumns, 'title'>>, never> & { title: string }

export function jobListWhere(teamId: string, query: Partial<JobListQuery>) {
  return and(
    eq(discubotJobs.teamId, teamId),
    query.status ? eq(discubotJobs.status, query.status) : undefined,
    query.stage ? eq(discubotJobs.stage, query.stage) : undefined,
    query.sourceType ? eq(discubotJobs.sourceType, query.sourceType) : undefined,
    query.discussionId ? eq(discubotJobs.discussionId, query.discussionId) : undefined,
    // A discarded job shows only where it is asked for; every other view and count leaves it out.
    query.discarded ? isNotNull(discubotJobs.discardedAt) : isNull(discubotJobs.discardedAt),
    containsText([discubotJobs.error, jobTitle], query.q),
    dateRange(discubotJobs.createdAt, query.from, query.to),
  )
}

export async function listDiscubotJobs(teamId: string, query: JobListQuery): Promise<Page<JobListItem>> {
  const where = jobListWhere(teamId, query)
  const db = useDb()
  const [items, total] = await Promise.all([
    db.select(listColumns).from(discubotJobs).where(where)
      .orderBy(...ordering(discubotJobs[query.sort], query.order, discubotJobs.id))
      .limit(query.pageSize).offset(offsetOf(query.page, query.pageSize)),
    countDiscubotJobs(teamId, query),
  ])
  return { items, total, page: query.page, pageSize: query.pageSize }
}

/**
 * The list's total. Filtered by status, source and discarded-or-not only, it is a sum over the
 * daily roll-up (a few rows per day) instead of a count of every matching job (35 ms at 1M).
 */
export async function countDiscubotJobs(teamId: string, query: Partial<JobListQuery>): Promise<number> {
  if (!query.stage && !query.discussionId && !query.q && !query.from && !query.to) {
    const t = discubotJobDailyCounts
    const [row] = await useDb().select({ n: sql<number>`coalesce(sum(${t.jobs}), 0)` }).from(t).where(and(
      eq(t.teamId, teamId),
      eq(t.discarded, Boolean(query.discarded)),
      query.status ? eq(t.status, query.status) : undefined,
      query.sourceType ? eq(t.sourceType, query.sourceType) : undefined,
    ))
    return Number(row?.n ?? 0)
  }
  const [row] = await useDb().select({ n: count() }).from(discubotJobs).where(jobListWhere(teamId, query))
  return row?.n ?? 0
}

export async function countDiscubotJobsByStatus(teamId: string): Promise<Record<JobStatus, number>> {
  const rows = await useDb().select({ status: discubotJobs.status, n: count() })
    .from(discubotJobs).where(and(eq(discubotJobs.teamId, teamId), isNull(discubotJobs.discardedAt))).groupBy(discubotJobs.status)
  const counts = { pending: 0, processing: 0, completed: 0, failed: 0 }
  for (const row of rows) counts[row.status] = row.n
  return counts
}

export interface QueueStats {
  pending: number
  processing: number
  oldestPendingAgeMs: number | null
}

/** Queue depth over all teams (health) or one team (overview). */
export async function getDiscubotQueueStats(teamId?: string): Promise<QueueStats> {
  const db = useDb()
  const team = teamId ? eq(discubotJobs.teamId, teamId) : undefined
  const [[pending], [processing]] = await Promise.all([
    db.select({ n: count(), oldest: min(discubotJobs.createdAt) }).from(discubotJobs).where(and(eq(discubotJobs.status, 'pending'), team)),
    db.select({ n: count() }).from(discubotJobs).where(and(eq(discubotJobs.status, 'processing'), team)),
  ])
  return {
    pending: pending?.n ?? 0,
    processing: processing?.n ?? 0,
    oldestPendingAgeMs: pending?.oldest ? Date.now() - pending.oldest.getTime() : null,
  }
}
