// Aggregates the admin overview draws: jobs per day by status and where time goes per stage.
import { and, avg, count, eq, gte, isNotNull, max, sql } from 'drizzle-orm'
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
    .where(and(eq(discubotJobs.teamId, teamId), gte(discubotJobs.createdAt, since)))
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
