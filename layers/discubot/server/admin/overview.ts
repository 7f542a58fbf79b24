// The overview page in one read: counts, queue depth, the last 14 days and the slowest stage, all
// from the roll-ups the database keeps in step with every job (drizzle/0014), so the page costs
// the same at 10k jobs as at 1M (bench/README.md, admin queries).
import { countDiscubotJobsByStatusFromRollup, getDiscubotJobsPerDayFromRollup, getDiscubotQueueStatsFromRollup, getDiscubotStageDurationsFromRollup } from '../../collections/jobs/server/database/stats'
import { countDiscubotDiscussionsByStatusFromRollup } from '../../collections/discussions/server/database/queries'
import { countDiscubotTasksFromRollup } from '../../collections/tasks/server/database/queries'
import type { Overview } from '../../shared/api'

export const OVERVIEW_DAYS = 14

const HOUR_MS = 60 * 60_000

/**
 * Where the stage durations' 14 days begin: at the whole hour, so they come from the hourly roll-up
 * alone. From the exact millisecond, the part of an hour before the first whole one had to be
 * summed from the stage rows, a read that grows with the jobs an hour holds (bench/README.md).
 */
export function overviewSince(now: Date): Date {
  return new Date(Math.floor((now.getTime() - OVERVIEW_DAYS * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS)
}

export async function getOverview(teamId: string, now = new Date()): Promise<Overview> {
  const since = overviewSince(now)
  const [jobs, discussions, tasks, queue, perDay, stageDurations] = await Promise.all([
    countDiscubotJobsByStatusFromRollup(teamId),
    countDiscubotDiscussionsByStatusFromRollup(teamId),
    countDiscubotTasksFromRollup(teamId),
    getDiscubotQueueStatsFromRollup(teamId),
    getDiscubotJobsPerDayFromRollup(teamId, OVERVIEW_DAYS, now),
    getDiscubotStageDurationsFromRollup(teamId, since),
  ])
  return { jobs, discussions, tasks, queue, perDay, stageDurations, slowestStage: stageDurations[0] ?? null }
}
