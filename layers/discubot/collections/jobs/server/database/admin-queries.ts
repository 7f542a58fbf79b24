// Reads only the admin makes: retry chains, what is scheduled to run later, leases that ran out,
// and the failed discussions a "retry all matching" would touch.
import { and, asc, countDistinct, eq, gt, inArray, isNotNull, lt, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { inTeam } from '../../../../server/database/query-helpers'
import type { JobFilter } from '../../../../shared/admin-input'
import { discubotJobs, type DiscubotJob } from './schema'
import { jobListWhere } from './queries'

/** Jobs that retry `jobId` (the unique index allows one; a list keeps the caller honest). */
export async function getDiscubotJobRetries(teamId: string, jobId: string): Promise<DiscubotJob[]> {
  return useDb().select().from(discubotJobs)
    .where(and(eq(discubotJobs.teamId, teamId), eq(discubotJobs.retryOfJobId, jobId)))
    .orderBy(asc(discubotJobs.createdAt))
}

const scheduleColumns = {
  id: discubotJobs.id,
  sourceType: discubotJobs.sourceType,
  status: discubotJobs.status,
  stage: discubotJobs.stage,
  discussionId: discubotJobs.discussionId,
  title: sql<string>`json_extract(${discubotJobs.payload}, '$.title')`,
  runAt: discubotJobs.runAt,
  lockedBy: discubotJobs.lockedBy,
  lockedUntil: discubotJobs.lockedUntil,
  error: discubotJobs.error,
  createdAt: discubotJobs.createdAt,
}

/** Pending jobs waiting for a later `runAt`: transient failures backing off. */
export async function listDiscubotDelayedJobs(teamId: string, now: Date, limit = 100) {
  return useDb().select(scheduleColumns).from(discubotJobs)
    .where(and(eq(discubotJobs.teamId, teamId), eq(discubotJobs.status, 'pending'), gt(discubotJobs.runAt, now)))
    .orderBy(asc(discubotJobs.runAt)).limit(limit)
}

/** Processing jobs whose lease ran out: their worker died; the next claim resumes them. */
export async function listDiscubotStaleLeases(teamId: string, now: Date, limit = 100) {
  return useDb().select(scheduleColumns).from(discubotJobs)
    .where(and(eq(discubotJobs.teamId, teamId), eq(discubotJobs.status, 'processing'), lt(discubotJobs.lockedUntil, now)))
    .orderBy(asc(discubotJobs.lockedUntil)).limit(limit)
}

/**
 * Failed, kept jobs matching the list's filters whose discussion is still failed. The terms are
 * literals that repeat discubot_jobs_retryable_idx's WHERE, so SQLite can read that partial index
 * (a flag kept by triggers) instead of joining every failed job to its discussion (0.4 s at 1M jobs).
 */
function failedMatching(teamId: string, filter: JobFilter) {
  return and(
    jobListWhere(teamId, filter),
    sql`${discubotJobs.status} = 'failed'`,
    sql`${discubotJobs.discussionFailed} = 1`,
    isNotNull(discubotJobs.discussionId),
  )
}

/** How many still-failed discussions the matching failed jobs belong to. */
export async function countDiscubotRetryMatchingDiscussions(teamId: string, filter: JobFilter): Promise<number> {
  const [row] = await useDb().select({ n: countDistinct(discubotJobs.discussionId) })
    .from(discubotJobs)
    .where(failedMatching(teamId, filter))
  return row?.n ?? 0
}

/** The still-failed discussions of matching failed jobs, by id. */
export async function listDiscubotRetryMatchingDiscussionIds(teamId: string, filter: JobFilter, limit: number): Promise<string[]> {
  const rows = await useDb().selectDistinct({ id: discubotJobs.discussionId })
    .from(discubotJobs)
    .where(failedMatching(teamId, filter))
    .orderBy(asc(discubotJobs.discussionId))
    .limit(limit)
  return rows.map(row => row.id!).filter(Boolean)
}

/** The job that retries each of `jobIds`, if any: the Failed view shows whether a failure was dealt with. */
export async function getDiscubotRetriesOfJobs(teamId: string, jobIds: string[]) {
  if (jobIds.length === 0) return []
  return useDb().select({ id: discubotJobs.id, status: discubotJobs.status, stage: discubotJobs.stage, retryOfJobId: discubotJobs.retryOfJobId })
    .from(discubotJobs)
    .where(and(inTeam(discubotJobs.teamId, teamId), inArray(discubotJobs.retryOfJobId, jobIds)))
}
