// Deletes finished jobs (and webhook inbox rows) past the retention period, in small batches so no batch holds the write
// lock for long (webhooks keep landing meanwhile). Stage rows go with their job (ON DELETE CASCADE);
// discussions and tasks stay, their links to the job become null (ON DELETE SET NULL).
// On a local file every statement also runs on the event loop, so a batch blocks the webhooks of
// this instance for as long as it takes: batches are sized to a time budget and followed by a
// pause at least as long (bench/README.md, cleanup: 500-job batches made webhooks wait seconds).
// Each batch also checkpoints the pages it wrote, inside its budget (utils/db.ts, withOwnCheckpoints).
import { useSettings } from '../utils/settings'
import { withOwnCheckpoints } from '../utils/db'
import { deleteFinishedJobs } from '../../collections/jobs/server/database/lifecycle'
import { deleteEmptyRollupRows } from '../../collections/jobs/server/database/rollups'
import { deleteOldDeliveries } from '../../collections/webhook-events/server/database/queries'
import { deleteSettledOutboxItems } from '../../collections/outbox/server/database/queries'
import { deleteFinishedOneOffTimers, getDiscubotTimerByName } from '../../collections/timers/server/database/queries'
import type { DiscubotTimer } from '../../collections/timers/server/database/schema'
import { CLEANUP_TIMER } from './cleanup-timer'

export interface CleanupOptions {
  retentionDays?: number
  /** Jobs in the first batch; later batches are resized to take about `batchBudgetMs`. */
  batchSize?: number
  batchBudgetMs?: number
  now?: Date
}

const MAX_BATCH = 1000

/** The retention an admin saved on the cleanup timer, if any. */
export function savedRetentionDays(timer: Pick<DiscubotTimer, 'params'> | undefined): number | undefined {
  const value = timer?.params.retentionDays
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined
}

/** Retention in force: saved in the admin (on the cleanup timer row), else NUXT_JOB_RETENTION_DAYS. */
export async function retentionDaysInForce(): Promise<number> {
  return savedRetentionDays(await getDiscubotTimerByName(CLEANUP_TIMER)) ?? useSettings().jobRetentionDays
}

export interface CleanupResult {
  /** Finished jobs deleted (with their stage rows). */
  deleted: number
  /** Webhook inbox rows deleted (deliveries older than the retention whose job is not running). */
  deliveriesDeleted: number
  /** One-off timers that ran more than a day ago. */
  timersDeleted: number
  /** Settled outbox rows (reactions, notes, alerts) deleted. */
  outboxDeleted: number
  /** The longest batch (delete and checkpoint): how long this instance's requests waited at most. */
  longestBatchMs: number
  cutoff: string
}

const DAY_MS = 24 * 60 * 60_000

export async function runCleanup(options: CleanupOptions = {}): Promise<CleanupResult> {
  const retentionDays = options.retentionDays ?? await retentionDaysInForce()
  const now = options.now ?? new Date()
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS)
  return withOwnCheckpoints(async (checkpoint) => {
    const pacing = { ...options, checkpoint, longestBatchMs: 0 }
    const deleted = await deletePaced(limit => deleteFinishedJobs(cutoff, limit), pacing)
    if (deleted > 0) await deleteEmptyRollupRows()
    const deliveriesDeleted = await deletePaced(limit => deleteOldDeliveries(cutoff, limit), pacing)
    const timersDeleted = await deleteFinishedOneOffTimers(new Date(now.getTime() - DAY_MS))
    const outboxDeleted = await deletePaced(limit => deleteSettledOutboxItems(cutoff, limit), pacing)
    return { deleted, deliveriesDeleted, timersDeleted, outboxDeleted, longestBatchMs: Math.round(pacing.longestBatchMs), cutoff: cutoff.toISOString() }
  })
}

interface Pacing {
  /** Copies the pages a batch wrote into the database file (withOwnCheckpoints). */
  checkpoint: () => Promise<void>
  longestBatchMs: number
}

/** Runs `deleteBatch` until a batch comes back short, each batch sized toward the time budget. */
async function deletePaced(deleteBatch: (limit: number) => Promise<number>, options: CleanupOptions & Pacing): Promise<number> {
  const budgetMs = options.batchBudgetMs ?? 5
  let batchSize = options.batchSize ?? 20
  let deleted = 0
  for (;;) {
    const started = performance.now()
    const removed = await deleteBatch(batchSize)
    const deleteMs = performance.now() - started
    await options.checkpoint()
    const tookMs = performance.now() - started
    options.longestBatchMs = Math.max(options.longestBatchMs, tookMs)
    deleted += removed
    if (removed < batchSize) return deleted
    // The deletes toward the budget, at most doubling: one quick batch must not make the next one
    // huge. The checkpoint's share (mostly its fsync) does not shrink with the batch: sizing by it
    // made batches tiny and the cleanup 0.7× as fast at the same webhook p99 (bench/README.md).
    batchSize = Math.min(MAX_BATCH, Math.max(1, Math.round(batchSize * Math.min(2, budgetMs / Math.max(deleteMs, 0.1)))))
    // Half the time at most: other writers get the lock, and this instance's requests the event loop.
    await new Promise(resolve => setTimeout(resolve, Math.max(tookMs, budgetMs)))
  }
}
