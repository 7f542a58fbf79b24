// "The queue stopped moving": a job due for longer than NUXT_QUEUE_STUCK_AFTER_MS that no worker
// picked up, while this instance's workers are running (so it is not just a stopped fleet). One
// alert per stuck episode: the key names the oldest waiting job, so every instance that notices
// writes the same row.
import { useSettings } from '../utils/settings'
import { findStuckQueues } from '../../collections/jobs/server/database/alert-queries'
import { commitOutboxWrites, enqueueOutboxItem } from '../../collections/outbox/server/database/queries'
import type { AlertPayload } from '../../shared/outbox'

export async function reportStuckQueues(now = new Date()): Promise<number> {
  const stuck = await findStuckQueues(new Date(now.getTime() - useSettings().queueStuckAfterMs))
  if (stuck.length === 0) return 0
  const writes = stuck.map((queue) => {
    const payload: AlertPayload = { type: 'queue_stuck', jobId: queue.jobId, waitingSince: queue.dueSince.toISOString(), waiting: queue.waiting }
    return enqueueOutboxItem({ teamId: queue.teamId, kind: 'alert', dedupeKey: `queue-stuck:${queue.teamId}:${queue.jobId}`, payload, jobId: queue.jobId }, now)
  })
  await commitOutboxWrites(writes)
  return stuck.length
}
