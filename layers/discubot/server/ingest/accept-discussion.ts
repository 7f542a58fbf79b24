// The durable hand-off of a webhook: the inbox row and the job row commit in ONE batch, and
// only then does the route answer 2xx. A re-delivery (same source + event id) creates nothing.
import { eq, and, isNull, sql } from 'drizzle-orm'
import { useDb } from '../utils/db'
import { SYSTEM_USER_ID } from '../utils/constants'
import { discubotWebhookEvents } from '../../collections/webhook-events/server/database/schema'
import { discubotJobs } from '../../collections/jobs/server/database/schema'
import { derivedId } from '../utils/derived-id'
import { threadKeyOf } from '../pipeline/thread-key'
import { notifyJobQueued } from '../pipeline/wakeup'
import { noteDbWrite } from '../utils/db-health'
import type { DiscussionInput } from '../../shared/schemas'
import type { SourceType } from '../../shared/domain'

export type AcceptResult
  = | { status: 'accepted', jobId: string }
    | { status: 'duplicate', jobId: string | null }

export interface AcceptDiscussion {
  source: SourceType
  eventId: string
  teamId: string
  sourceConfigId: string
  input: DiscussionInput
}

export async function acceptDiscussion(delivery: AcceptDiscussion): Promise<AcceptResult> {
  const result = await commitDelivery(delivery).then(
    (committed) => {
      noteDbWrite({ ok: true })
      return committed
    },
    (error) => {
      noteDbWrite({ ok: false, error })
      throw error
    },
  )
  if (result.status === 'accepted') notifyJobQueued()
  return result
}

/**
 * One batch, no interactive transaction (a local libsql client waits for a lock synchronously, so
 * an open transaction awaiting between statements could freeze the process). The job id is derived
 * from the delivery: a re-delivery upserts the same event row (counting it) and its job insert
 * conflicts on that id, so it creates nothing, however deliveries race.
 */
async function commitDelivery(delivery: AcceptDiscussion): Promise<AcceptResult> {
  const db = useDb()
  const eventRowId = crypto.randomUUID()
  const jobId = derivedId('webhook-job', delivery.source, delivery.eventId)
  const [, insertedJob, , , [event]] = await db.batch([
    db.insert(discubotWebhookEvents).values({
      id: eventRowId,
      teamId: delivery.teamId,
      source: delivery.source,
      eventId: delivery.eventId,
      status: 'accepted',
      createdBy: SYSTEM_USER_ID,
      updatedBy: SYSTEM_USER_ID,
    }).onConflictDoUpdate({
      target: [discubotWebhookEvents.source, discubotWebhookEvents.eventId],
      set: { redeliveries: sql`${discubotWebhookEvents.redeliveries} + 1`, updatedAt: new Date() },
    }),
    db.insert(discubotJobs).values({
      id: jobId,
      teamId: delivery.teamId,
      sourceType: delivery.source,
      sourceConfigId: delivery.sourceConfigId,
      threadKey: threadKeyOf(delivery.teamId, delivery.input),
      payload: delivery.input,
      runAt: new Date(),
      metadata: { webhookEventId: eventRowId },
      createdBy: SYSTEM_USER_ID,
      updatedBy: SYSTEM_USER_ID,
    }).onConflictDoNothing().returning({ id: discubotJobs.id }),
    db.update(discubotWebhookEvents).set({ jobId }).where(and(eq(discubotWebhookEvents.id, eventRowId), isNull(discubotWebhookEvents.jobId))),
    // A re-delivery so late that cleanup already deleted its job would re-insert it above: a job
    // no event row points at was not ours to create.
    db.delete(discubotJobs).where(and(eq(discubotJobs.id, jobId), sql`NOT EXISTS (SELECT 1 FROM discubot_webhook_events WHERE job_id = ${jobId})`)),
    db.select({ id: discubotWebhookEvents.id, jobId: discubotWebhookEvents.jobId }).from(discubotWebhookEvents)
      .where(and(eq(discubotWebhookEvents.source, delivery.source), eq(discubotWebhookEvents.eventId, delivery.eventId))),
  ])
  if (event?.id === eventRowId && insertedJob.length === 1) return { status: 'accepted', jobId }
  return { status: 'duplicate', jobId: event?.jobId ?? null }
}

/**
 * A delivery from a workspace no config claims: recorded (so an admin can see it) and answered
 * 200, because a non-2xx answer would make Slack retry it for hours.
 */
export async function recordUnknownWorkspace(source: SourceType, eventId: string, detail: string): Promise<void> {
  await useDb().insert(discubotWebhookEvents).values({
    teamId: null,
    source,
    eventId,
    status: 'unknown_workspace',
    detail,
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }).onConflictDoNothing()
}
