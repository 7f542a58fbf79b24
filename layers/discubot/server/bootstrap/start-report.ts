// The one line an operator reads after a (re)start: what this instance found and did at boot —
// jobs left running by dead workers (resumed at their first unfinished stage), the backlog,
// overdue timers and how many it fired, and which instance it is.
import { consola } from 'consola'
import { getDiscubotQueueStats, type QueueStats } from '../../collections/jobs/server/database/queries'
import { countFleetStaleLeases } from '../../collections/jobs/server/database/stats'
import { countDueTimers } from '../../collections/timers/server/database/queries'
import { formatDurationMs } from '../utils/schedule'

export interface BootFindings {
  /** Processing jobs whose lease had already run out (their instance died). */
  staleLeases: number
  overdueTimers: number
}

export interface StartReport extends BootFindings {
  instanceId: string
  /** Jobs this instance's dead earlier run still held, handed back at once (NUXT_INSTANCE_ID pinned). */
  released: number
  firedTimers: number
  queue: QueueStats
}

const log = consola.withTag('engine')

/** Read before the workers and the timer loop act on them; null when the database would not say (the start goes on). */
export async function findBootWork(now = new Date()): Promise<BootFindings | null> {
  try {
    const [staleLeases, overdueTimers] = await Promise.all([countFleetStaleLeases(now), countDueTimers(now)])
    return { staleLeases, overdueTimers }
  }
  catch {
    return null
  }
}

export function startReportLine(report: StartReport): string {
  const oldest = report.queue.oldestPendingAgeMs === null ? '' : ` (oldest ${formatDurationMs(report.queue.oldestPendingAgeMs)})`
  return [
    `instance ${report.instanceId} started:`,
    `${report.released + report.staleLeases} job(s) resumed (${report.released} left by this instance's earlier run, ${report.staleLeases} with an expired lease),`,
    `${report.queue.pending} pending in the backlog${oldest},`,
    `${report.overdueTimers} overdue timer(s) found, ${report.firedTimers} fired`,
  ].join(' ')
}

export async function logStartReport(findings: BootFindings | null, done: Pick<StartReport, 'instanceId' | 'released' | 'firedTimers'>): Promise<void> {
  const queue = await getDiscubotQueueStats().catch(() => null)
  if (!findings || !queue) {
    log.warn(`instance ${done.instanceId} started (${done.released} job(s) handed back, ${done.firedTimers} timer(s) fired); the database did not answer for the rest of the start report`)
    return
  }
  log.info(startReportLine({ ...findings, ...done, queue }))
}
