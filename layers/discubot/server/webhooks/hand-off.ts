// The durable hand-off of a webhook: the inbox row and the job row commit in ONE batch, and only
// then does the route answer 2xx. A re-delivery (same source + event id) creates nothing.
import { GroupCommit } from '../utils/group-commit'
import { noteDbWrite } from '../utils/db-health'
import { derivedId } from '../utils/derived-id'
import { notifyJobQueued } from '../pipeline/wakeup'
import { dropJobWithoutDelivery, enqueueJob } from '../../collections/jobs/server/database/lifecycle'
import { findDelivery, linkDeliveryToJob, recordAcceptedDelivery, recordDuplicateDelivery } from '../../collections/webhook-events/server/database/queries'
import type { DiscussionInput } from '../../shared/schemas'
import type { WebhookSourceType } from '../../shared/domain'

export type AcceptResult
  = | { status: 'accepted', jobId: string }
    | { status: 'duplicate', jobId: string | null }

export interface AcceptDiscussion {
  source: WebhookSourceType
  eventId: string
  teamId: string
  sourceConfigId: string
  input: DiscussionInput
}

export async function acceptDiscussion(delivery: AcceptDiscussion): Promise<AcceptResult> {
  let result: AcceptResult
  try {
    result = await commitDelivery(delivery)
    noteDbWrite({ ok: true })
  }
  catch (error) {
    noteDbWrite({ ok: false, error })
    throw error
  }
  if (result.status === 'accepted') notifyJobQueued()
  return result
}

/** Deliveries arriving together share a transaction; each is answered after its own rows commit. */
const deliveries = new GroupCommit()

/**
 * One batch (shared with the deliveries that arrive within a millisecond), no interactive transaction (a local libsql client waits for a lock synchronously, so
 * an open transaction awaiting between statements could freeze the process). The job id is derived
 * from the delivery: a re-delivery upserts the same inbox row (counting it) and its job insert
 * conflicts on that id, so it creates nothing, however deliveries race.
 */
async function commitDelivery(delivery: AcceptDiscussion): Promise<AcceptResult> {
  const key = { source: delivery.source, eventId: delivery.eventId }
  const rowId = crypto.randomUUID()
  const jobId = derivedId('webhook-job', delivery.source, delivery.eventId)
  const [, insertedJob, , , , [event]] = await deliveries.commit([
    recordAcceptedDelivery(key, rowId, delivery.teamId),
    enqueueJob({
      id: jobId,
      teamId: delivery.teamId,
      sourceConfigId: delivery.sourceConfigId,
      payload: delivery.input,
      metadata: { webhookEventId: rowId },
    }),
    linkDeliveryToJob(rowId, jobId),
    dropJobWithoutDelivery(jobId),
    // A re-delivery leaves a row of its own too (the inbox shows every delivery), in the same batch.
    recordDuplicateDelivery(key, rowId, delivery.teamId),
    findDelivery(key),
  ]) as [unknown, unknown[], unknown, unknown, unknown, { id: string, jobId: string | null }[]]
  if (event?.id === rowId && insertedJob.length === 1) return { status: 'accepted', jobId }
  return { status: 'duplicate', jobId: event?.jobId ?? null }
}
