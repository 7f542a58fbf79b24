// The overview page in one read: counts, queue depth, the last 14 days and the slowest stage.
import { countDiscubotJobsByStatus, getDiscubotQueueStats } from '../../collections/jobs/server/database/queries'
import { getDiscubotJobsPerDay, getDiscubotStageDurations } from '../../collections/jobs/server/database/stats'
import { countDiscubotDiscussionsByStatus } from '../../collections/discussions/server/database/queries'
import { countDiscubotTasks } from '../../collections/tasks/server/database/queries'
import type { Overview } from '../../shared/api'

export const OVERVIEW_DAYS = 14

export async function getOverview(teamId: string, now = new Date()): Promise<Overview> {
  const since = new Date(now.getTime() - OVERVIEW_DAYS * 24 * 60 * 60_000)
  const [jobs, discussions, tasks, queue, perDay, stageDurations] = await Promise.all([
    countDiscubotJobsByStatus(teamId),
    countDiscubotDiscussionsByStatus(teamId),
    countDiscubotTasks(teamId),
    getDiscubotQueueStats(teamId),
    getDiscubotJobsPerDay(teamId, OVERVIEW_DAYS, now),
    getDiscubotStageDurations(teamId, since),
  ])
  return { jobs, discussions, tasks, queue, perDay, stageDurations, slowestStage: stageDurations[0] ?? null }
}
