// Aggregates the admin overview draws: jobs per day by status and where time goes per stage.
// The overview reads them from the roll-ups (`…FromRollup`, below), which the triggers of
// drizzle/0014 keep exact; the aggregates over the raw rows stay as their definition — the tests
// compare the two — and for the query-plan checks.
import { and, avg, count, eq, gte, inArray, isNotNull, isNull, lt, lte, max, min, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { JOB_STATUSES, STAGES, type JobStatus, type StageName } from '../../../../shared/domain'
import type { DailyJobCounts, StageDuration } from '../../../../shared/api'
import { discubotJobDailyCounts, discubotJobs, discubotJobStageHourly, discubotJobStages } from './schema'
import type { QueueStats } from './queries'

const DAY_MS = 24 * 60 * 60_000
const HOUR_MS = 60 * 60_000

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
  return dailyCounts(dayList, rows)
}

/** The same from the daily roll-up: a few rows per day instead of every job of the last `days` days. */
export async function getDiscubotJobsPerDayFromRollup(teamId: string, days: number, now = new Date()): Promise<DailyJobCounts[]> {
  const dayList = lastDays(days, now)
  const t = discubotJobDailyCounts
  const rows = await useDb().select({ day: t.day, status: t.status, n: sql<number>`sum(${t.jobs})` })
    .from(t)
    .where(and(eq(t.teamId, teamId), gte(t.day, Date.parse(`${dayList[0]}T00:00:00.000Z`) / DAY_MS), eq(t.discarded, false)))
    .groupBy(t.day, t.status)
  return dailyCounts(dayList, rows.map(row => ({ day: new Date(row.day * DAY_MS).toISOString().slice(0, 10), status: row.status, n: Number(row.n) })))
}

function dailyCounts(dayList: string[], rows: { day: string, status: JobStatus, n: number }[]): DailyJobCounts[] {
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

/** Jobs by status (discarded ones left out) from the daily roll-up: the overview's counts. */
export async function countDiscubotJobsByStatusFromRollup(teamId: string): Promise<Record<JobStatus, number>> {
  const t = discubotJobDailyCounts
  const rows = await useDb().select({ status: t.status, n: sql<number>`sum(${t.jobs})` })
    .from(t).where(and(eq(t.teamId, teamId), eq(t.discarded, false))).groupBy(t.status)
  const counts = { pending: 0, processing: 0, completed: 0, failed: 0 }
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}

/** A team's queue as `getDiscubotQueueStats(teamId)` answers it: depths from the roll-up, the oldest by index. */
export async function getDiscubotQueueStatsFromRollup(teamId: string): Promise<QueueStats> {
  const t = discubotJobDailyCounts
  const db = useDb()
  const [depths, [pending]] = await Promise.all([
    db.select({ status: t.status, n: sql<number>`sum(${t.jobs})` }).from(t)
      .where(and(eq(t.teamId, teamId), inArray(t.status, ['pending', 'processing']))).groupBy(t.status),
    db.select({ oldest: min(discubotJobs.createdAt) }).from(discubotJobs)
      .where(and(eq(discubotJobs.status, 'pending'), eq(discubotJobs.teamId, teamId))),
  ])
  const depth = (status: JobStatus) => Number(depths.find(row => row.status === status)?.n ?? 0)
  return {
    pending: depth('pending'),
    processing: depth('processing'),
    oldestPendingAgeMs: pending?.oldest ? Date.now() - pending.oldest.getTime() : null,
  }
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

interface StageTotals {
  stage: StageName
  runs: number
  timed: number
  total: number
  maxMs: number | null
}

/**
 * The same from the hourly roll-up: whole hours from `since` on from the roll-up, the part of an
 * hour before them from the stage rows (at most an hour of runs), and the max of any hour that lost
 * its slowest run recomputed from that hour's rows. One statement, so one consistent snapshot.
 */
export async function getDiscubotStageDurationsFromRollup(teamId: string, since: Date): Promise<StageDuration[]> {
  const sinceMs = since.getTime()
  const firstHour = Math.ceil(sinceMs / HOUR_MS)
  const h = discubotJobStageHourly
  const s = discubotJobStages
  const duration = sql`coalesce(${s.durationMs}, ${s.completedAt} - ${s.startedAt})`
  const rows = await useDb().all<StageTotals>(sql`
    SELECT stage, sum(runs) AS runs, sum(timed) AS timed, sum(total) AS total, max(mx) AS maxMs FROM (
      SELECT ${h.stage} AS stage, ${h.runs} AS runs, ${h.timedRuns} AS timed, ${h.totalMs} AS total,
        CASE WHEN ${h.maxStale} THEN (
          SELECT max(${duration}) FROM ${s}
          WHERE ${s.status} = 'completed' AND ${s.teamId} = ${h.teamId} AND ${s.stage} = ${h.stage}
            AND ${s.completedAt} >= ${h.hour} * ${HOUR_MS} AND ${s.completedAt} < (${h.hour} + 1) * ${HOUR_MS}
        ) ELSE ${h.maxMs} END AS mx
      FROM ${h} WHERE ${h.teamId} = ${teamId} AND ${h.hour} >= ${firstHour} AND ${h.runs} > 0
      UNION ALL
      SELECT ${s.stage}, count(*), count(${duration}), coalesce(sum(${duration}), 0), max(${duration}) FROM ${s}
      WHERE ${s.status} = 'completed' AND ${s.teamId} = ${teamId} AND ${s.completedAt} >= ${sinceMs} AND ${s.completedAt} < ${firstHour * HOUR_MS}
      GROUP BY ${s.stage}
    ) GROUP BY stage`)
  return rows
    .filter(row => Number(row.runs) > 0 && STAGES.includes(row.stage))
    // The raw aggregate's groups come out by stage name; the stable sort then keeps ties in that order.
    .sort((a, b) => (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0))
    .map(row => ({
      stage: row.stage,
      runs: Number(row.runs),
      avgMs: Number(row.timed) ? Math.round(Number(row.total) / Number(row.timed)) : 0,
      maxMs: Number(row.maxMs ?? 0),
    }))
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
