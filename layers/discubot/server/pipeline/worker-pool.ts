// N pipeline loops per instance. Each loop claims a due job (or one whose lease expired), runs it,
// and idles until a webhook wakes it or the poll interval passes. Database trouble makes a loop
// back off; it never crashes the process and never marks a job failed.
import { consola } from 'consola'
import { useSettings } from '../utils/settings'
import { backoffDelay } from '../utils/backoff'
import { messageOf } from '../utils/errors'
import { dbWriteHealth, noteDbWrite, probeDbWrite } from '../utils/db-health'
import { claimDueJob, releaseLeasesOfDeadSelf } from '../../collections/jobs/server/database/lifecycle'
import { runJob, type RunnerDeps } from './runner'
import { waitForWork } from './wakeup'
import type { PipelineServices } from './types'
import { runInBackground } from '../utils/background-turns'

const log = consola.withTag('worker')

export interface WorkerPoolOptions {
  services: PipelineServices
  /** How long in-flight stages may run on after a stop before they are aborted and handed back. */
  shutdownGraceMs?: number
  hold?: RunnerDeps['hold']
}

export class WorkerPool {
  readonly bootId = crypto.randomUUID().slice(0, 8)
  private readonly stopping = new AbortController()
  private readonly shutdown = new AbortController()
  private loops: Promise<void>[] = []

  constructor(private readonly options: WorkerPoolOptions) {}

  get workerPrefix() {
    return `${useSettings().instanceId}/${this.bootId}/`
  }

  /** Reclaims what a dead earlier run of this instance held (how many: the answer), then starts the loops. */
  async start(): Promise<number> {
    const settings = useSettings()
    const released = await releaseLeasesOfDeadSelf(settings.instanceId, this.workerPrefix)
    if (released) log.info(`resuming ${released} job(s) left in processing by an earlier run of ${settings.instanceId}`)
    // The loops' statements take turns with this event loop's requests (background-turns.ts).
    this.loops = runInBackground(() => Array.from({ length: settings.workerConcurrency }, (_, i) => this.loop(`${this.workerPrefix}${i}`)))
    log.info(`${settings.workerConcurrency} pipeline worker(s) started on ${settings.instanceId}`)
    return released
  }

  /** Stop claiming; let in-flight stages finish within the grace period, then abort and release them. */
  async stop(): Promise<void> {
    this.stopping.abort()
    const grace = this.options.shutdownGraceMs ?? 5000
    log.info(`stopping: no new claims; in-flight stages get ${grace} ms, then their jobs are handed back`)
    const timer = setTimeout(() => this.shutdown.abort(), grace)
    await Promise.allSettled(this.loops)
    clearTimeout(timer)
    log.info('stopped')
  }

  private async loop(workerId: string) {
    const { services, hold } = this.options
    const settings = useSettings()
    let failures = 0
    while (!this.stopping.signal.aborted) {
      try {
        const job = await claimDueJob({ workerId, leaseMs: settings.leaseMs })
        failures = 0
        if (!job) {
          // Nothing due: the poll only read. While a write has failed, find out whether writing works again.
          if (!dbWriteHealth().writable) await probeDbWrite()
          await waitForWork(settings.pollIntervalMs, this.stopping.signal)
          continue
        }
        noteDbWrite({ ok: true })
        await runJob(job, { services, workerId, stopping: this.stopping.signal, shutdown: this.shutdown.signal, hold })
      }
      catch (error) {
        noteDbWrite({ ok: false, error })
        failures++
        const delay = backoffDelay(failures, { baseMs: Math.max(100, settings.pollIntervalMs), capMs: 10_000, maxRetryAfterMs: 10_000 })
        if (failures === 1 || failures % 20 === 0) log.warn(`${workerId}: cannot reach the queue (${messageOf(error)}); backing off`)
        await waitForWork(delay, this.stopping.signal)
      }
    }
  }
}
