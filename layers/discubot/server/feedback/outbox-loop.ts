// The outbox workers of one instance, started and stopped with the pipeline workers: each loop
// claims a due row with a lease (renewed while the delivery runs), delivers it and settles it.
// The first loop also watches the queue for the "queue stopped moving" alert.
import { consola } from 'consola'
import { useSettings } from '../utils/settings'
import { backoffDelay } from '../utils/backoff'
import { messageOf } from '../utils/errors'
import { startLeaseHeartbeat } from '../utils/lease-heartbeat'
import { claimDueOutboxItem, renewOutboxLease } from '../../collections/outbox/server/database/queries'
import type { DiscubotOutboxItem } from '../../collections/outbox/server/database/schema'
import { getDiscubotJobsByIds } from '../../collections/jobs/server/database/queries'
import { testHold, testHookEnabled } from '../pipeline/test-hold'
import { waitForWork } from '../pipeline/wakeup'
import type { PipelineServices } from '../pipeline/types'
import { deliverOutboxItem } from './deliver'
import { reportStuckQueues } from './queue-watch'
import { runInBackground } from '../utils/background-turns'

const log = consola.withTag('outbox')
const QUEUE_WATCH_EVERY_MS = 60_000

export interface OutboxLoopOptions {
  services: Pick<PipelineServices, 'source'>
  /** This instance runs pipeline workers: a queue nobody moves is news. */
  watchQueue: boolean
}

/** Test builds: a row of a job whose text holds `[hold:<point>]` stops there. */
async function holdFor(point: string, item: DiscubotOutboxItem): Promise<void> {
  if (!testHookEnabled('DISCUBOT_TEST_HOLDS') || !item.jobId) return
  const [job] = await getDiscubotJobsByIds(item.teamId, [item.jobId])
  if (job) await testHold(point, job.payload.content)
}

export class OutboxLoop {
  private readonly stopping = new AbortController()
  private loops: Promise<void>[] = []

  constructor(private readonly ownerPrefix: string, private readonly options: OutboxLoopOptions) {}

  start() {
    const count = Math.max(1, useSettings().outboxConcurrency)
    this.loops = runInBackground(() => Array.from({ length: count }, (_, i) => this.loop(`${this.ownerPrefix}${i}`, i === 0 && this.options.watchQueue)))
  }

  /** Stops claiming; a delivery under way is aborted and handed back, due at once. */
  async stop() {
    this.stopping.abort()
    await Promise.allSettled(this.loops)
  }

  private async loop(owner: string, watchQueue: boolean) {
    const settings = useSettings()
    let failures = 0
    let nextWatch = 0
    while (!this.stopping.signal.aborted) {
      try {
        if (watchQueue && Date.now() >= nextWatch) {
          nextWatch = Date.now() + QUEUE_WATCH_EVERY_MS
          await reportStuckQueues()
        }
        const item = await claimDueOutboxItem(owner, settings.leaseMs)
        failures = 0
        if (!item) {
          await waitForWork(settings.pollIntervalMs, this.stopping.signal)
          continue
        }
        await this.deliver(item, owner)
      }
      catch (error) {
        failures++
        if (failures === 1 || failures % 20 === 0) log.warn(`${owner}: cannot reach the outbox (${messageOf(error)}); backing off`)
        await waitForWork(backoffDelay(failures, { baseMs: Math.max(100, settings.pollIntervalMs), capMs: 10_000, maxRetryAfterMs: 10_000 }), this.stopping.signal)
      }
    }
  }

  private async deliver(item: DiscubotOutboxItem, owner: string) {
    const settings = useSettings()
    const leaseLost = new AbortController()
    const stopHeartbeat = startLeaseHeartbeat(() => renewOutboxLease(item.id, owner, settings.leaseMs), settings.leaseMs, () => leaseLost.abort())
    try {
      await deliverOutboxItem(item, owner, {
        settings,
        signal: AbortSignal.any([leaseLost.signal, this.stopping.signal]),
        services: this.options.services,
        hold: point => holdFor(point, item),
      })
    }
    finally {
      stopHeartbeat()
    }
  }
}
