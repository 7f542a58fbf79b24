// The durable hand-off of a webhook: the inbox row and the job row commit in ONE transaction, and
// only then does the route answer 2xx. A re-delivery (same source + event id) creates nothing.
import { eq, and, sql } from 'drizzle-orm'
import { useDb } from '../utils/db'
import { SYSTEM_USER_ID } from '../utils/constants'
import { discubotWebhookEvents } from '../../collections/webhook-events/server/database/schema'
import { createDiscubotJob } from '../../collections/jobs/server/database/queries'
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

function commitDelivery(delivery: AcceptDiscussion): Promise<AcceptResult> {
  return useDb().transaction(async (tx) => {
    const [event] = await tx.insert(discubotWebhookEvents).values({
      teamId: delivery.teamId,
      source: delivery.source,
      eventId: delivery.eventId,
      status: 'accepted',
      createdBy: SYSTEM_USER_ID,
      updatedBy: SYSTEM_USER_ID,
    }).onConflictDoNothing().returning({ id: discubotWebhookEvents.id })

    if (!event) {
      const [first] = await tx.update(discubotWebhookEvents)
        .set({ redeliveries: sql`${discubotWebhookEvents.redeliveries} + 1`, updatedAt: new Date() })
        .where(and(eq(discubotWebhookEvents.source, delivery.source), eq(discubotWebhookEvents.eventId, delivery.eventId)))
        .returning({ jobId: discubotWebhookEvents.jobId })
      return { status: 'duplicate', jobId: first?.jobId ?? null } as const
    }

    const job = await createDiscubotJob(tx, {
      teamId: delivery.teamId,
      sourceType: delivery.source,
      sourceConfigId: delivery.sourceConfigId,
      threadKey: threadKeyOf(delivery.teamId, delivery.input),
      payload: delivery.input,
      metadata: { webhookEventId: event.id },
    })
    await tx.update(discubotWebhookEvents).set({ jobId: job.id }).where(eq(discubotWebhookEvents.id, event.id))
    return { status: 'accepted', jobId: job.id } as const
  })
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
