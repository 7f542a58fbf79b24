// Everything waiting on a clock: timer rows, jobs backing off before their next attempt, and jobs
// whose worker's lease ran out (they resume on the next claim).
import { listDiscubotTimers } from '../../collections/timers/server/database/queries'
import { listDiscubotDelayedJobs, listDiscubotStaleLeases } from '../../collections/jobs/server/database/admin-queries'
import type { Schedules } from '../../shared/api'

export async function getSchedules(teamId: string, now = new Date()): Promise<Schedules> {
  const [timers, delayedRetries, staleLeases] = await Promise.all([
    listDiscubotTimers(),
    listDiscubotDelayedJobs(teamId, now),
    listDiscubotStaleLeases(teamId, now),
  ])
  return {
    now,
    // System timers (no team) run for everyone; another team's one-offs are not ours to see.
    timers: timers.filter(timer => !timer.teamId || timer.teamId === teamId),
    delayedRetries,
    staleLeases,
  }
}
