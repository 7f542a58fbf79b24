// Reads the team alerts make of the queue: the failures of a window, and queues that stopped moving.
import { and, asc, count, desc, eq, gte, lt, lte, min, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { discubotJobs } from './schema'

export interface FailedJobsSummary {
  count: number
  /** The most frequent failure reasons, most frequent first. */
  topErrors: { error: string, count: number }[]
  /** When the earliest of them was created (the Failed view filters on creation). */
  firstCreatedAt: Date | null
  /** One of them, for a link when there is only one. */
  sampleJobId: string | null
}

/** The team's jobs that failed in [since, until). */
export async function summarizeFailedJobs(teamId: string, since: Date, until: Date, topN = 3): Promise<FailedJobsSummary> {
  const db = useDb()
  const inWindow = and(
    eq(discubotJobs.teamId, teamId),
    eq(discubotJobs.status, 'failed'),
    gte(discubotJobs.completedAt, since),
    lt(discubotJobs.completedAt, until),
  )
  const reason = sql<string>`coalesce(${discubotJobs.error}, 'unknown error')`
  const [[totals], top] = await Promise.all([
    db.select({ n: count(), first: min(discubotJobs.createdAt), sample: min(discubotJobs.id) }).from(discubotJobs).where(inWindow),
    db.select({ error: reason, n: count() }).from(discubotJobs).where(inWindow).groupBy(reason).orderBy(desc(count()), asc(reason)).limit(topN),
  ])
  return {
    count: totals?.n ?? 0,
    topErrors: top.map(row => ({ error: row.error, count: row.n })),
    firstCreatedAt: totals?.first ?? null,
    sampleJobId: totals?.sample ?? null,
  }
}

export interface StuckQueue {
  teamId: string
  /** The team's oldest job due since before the cutoff and still not picked up. */
  jobId: string
  dueSince: Date
  waiting: number
}

/** Per team: the oldest pending job due before `dueBefore` (nobody claimed it since), and how many wait. */
export async function findStuckQueues(dueBefore: Date): Promise<StuckQueue[]> {
  const db = useDb()
  const stuck = and(eq(discubotJobs.status, 'pending'), lte(discubotJobs.runAt, dueBefore))
  const teams = await db.select({ teamId: discubotJobs.teamId, dueSince: min(discubotJobs.runAt), waiting: count() })
    .from(discubotJobs).where(stuck).groupBy(discubotJobs.teamId)
  return Promise.all(teams.map(async (team) => {
    const [oldest] = await db.select({ id: discubotJobs.id }).from(discubotJobs)
      .where(and(stuck, eq(discubotJobs.teamId, team.teamId))).orderBy(asc(discubotJobs.runAt), asc(discubotJobs.id)).limit(1)
    return { teamId: team.teamId, jobId: oldest!.id, dueSince: team.dueSince!, waiting: team.waiting }
  }))
}
