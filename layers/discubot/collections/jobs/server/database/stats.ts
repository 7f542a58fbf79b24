// Aggregates the admin overview draws: jobs per day by status and where time goes per stage.
import { and, avg, count, eq, gte, isNotNull, isNull, lt, lte, max, min, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { JOB_STATUSES, type JobStatus } from '../../../../shared/domain'
import type { DailyJobCounts, StageDuration } from '../../../../shared/api'
import { discubotJobs, discubotJobStages } from './schema'

const DAY_MS = 24 * 60 * 60_000

/** UTC calendar days, oldest first, the last one being today's. */
export function lastDays(days: number, now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10))
}

/**
 * Jobs created per UTC day by their current status, zero-filled. The failure rate is failed over
 * finished (completed + failed); a day where nothing finished has none.
 */
export async function getDiscubotJobsPerDay(teamId: string, days: number, now = new Date()): Promise<DailyJobCounts[]> {
  const dayList = lastDays(days, now)
  const since = new Date(`${dayList[0]}T00:00:00.000Z`)
  const day = sql<string>`strftime('%Y-%m-%d', ${discubotJobs.createdAt} / 1000, 'unixepoch')`
  const rows = await useDb().select({ day, status: discubotJobs.status, n: count() })
    .from(discubotJobs)
    .where(and(eq(discubotJobs.teamId, teamId), gte(discubotJobs.createdAt, since), isNull(discubotJobs.discardedAt)))
    .groupBy(day, discubotJobs.status)

  const byDay = new Map(dayList.map(d => [d, Object.fromEntries(JOB_STATUSES.map(s => [s, 0])) as Record<JobStatus, number>]))
  for (const row of rows) {
    const counts = byDay.get(row.day)
    if (counts) counts[row.status] = row.n
  }
  return dayList.map((d) => {
    const counts = byDay.get(d)!
    const finished = counts.completed + counts.failed
    const total = JOB_STATUSES.reduce((sum, s) => sum + counts[s], 0)
    return { day: d, ...counts, total, failureRate: finished ? counts.failed / finished : null }
  })
}

/** Completed stage runs since `since`, slowest average first. */
export async function getDiscubotStageDurations(teamId: string, since: Date): Promise<StageDuration[]> {
  const duration = sql<number>`coalesce(${discubotJobStages.durationMs}, ${discubotJobStages.completedAt} - ${discubotJobStages.startedAt})`
  const rows = await useDb().select({
    stage: discubotJobStages.stage,
    runs: count(),
    avgMs: avg(duration),
    maxMs: max(duration),
  })
    .from(discubotJobStages)
    .where(and(
      eq(discubotJobStages.teamId, teamId),
      eq(discubotJobStages.status, 'completed'),
      isNotNull(discubotJobStages.completedAt),
      gte(discubotJobStages.completedAt, since),
    ))
    .groupBy(discubotJobStages.stage)
  return rows
    .map(row => ({ stage: row.stage, runs: row.runs, avgMs: Math.round(Number(row.avgMs ?? 0)), maxMs: Number(row.maxMs ?? 0) }))
    .sort((a, b) => b.avgMs - a.avgMs)
}

// ---------------------------------------------------------------- the fleet, for /api/metrics

/** Jobs by status over every team, discarded ones left out (as everywhere): the same answer on every instance. */
export async function countFleetJobsByStatus(): Promise<Record<JobStatus, number>> {
  const rows = await useDb().select({ status: discubotJobs.status, n: count() })
    .from(discubotJobs).where(isNull(discubotJobs.discardedAt)).groupBy(discubotJobs.status)
  const counts = Object.fromEntries(JOB_STATUSES.map(s => [s, 0])) as Record<JobStatus, number>
  for (const row of rows) counts[row.status] = row.n
  return counts
}

/**
 * How long the longest-waiting due job has waited past its run time (0 when none waits). Jobs
 * backing off until a later `runAt` are not waiting yet, so a long Retry-After never reads as a stuck queue.
 */
export async function oldestDuePendingMs(now = new Date()): Promise<number> {
  const [row] = await useDb().select({ oldest: min(discubotJobs.runAt) }).from(discubotJobs)
    .where(and(eq(discubotJobs.status, 'pending'), lte(discubotJobs.runAt, now)))
  return row?.oldest ? Math.max(0, now.getTime() - row.oldest.getTime()) : 0
}

/** Processing jobs whose lease ran out (their worker died): the next claims resume them. */
export async function countFleetStaleLeases(now = new Date()): Promise<number> {
  const [row] = await useDb().select({ n: count() }).from(discubotJobs)
    .where(and(eq(discubotJobs.status, 'processing'), lt(discubotJobs.lockedUntil, now)))
  return row?.n ?? 0
}
