// The webhook inbox: one row per delivery, unique on (source, eventId). Statements are unexecuted
// where the hand-off commits them in one batch with the job they create.
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import type { WebhookSourceType } from '../../../../shared/domain'
import { discubotWebhookEvents } from './schema'

export interface DeliveryKey {
  source: WebhookSourceType
  eventId: string
}

/** The delivery's inbox row (id `rowId`), or the first copy's row counting one more re-delivery. */
export function recordAcceptedDelivery(key: DeliveryKey, rowId: string, teamId: string): Write {
  return useDb().insert(discubotWebhookEvents).values({
    id: rowId,
    teamId,
    source: key.source,
    eventId: key.eventId,
    status: 'accepted',
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }).onConflictDoUpdate({
    target: [discubotWebhookEvents.source, discubotWebhookEvents.eventId],
    set: { redeliveries: sql`${discubotWebhookEvents.redeliveries} + 1`, updatedAt: new Date() },
  })
}

/** Points the inbox row at its job, unless it already points at one (the first copy's). */
export function linkDeliveryToJob(rowId: string, jobId: string): Write {
  return useDb().update(discubotWebhookEvents).set({ jobId })
    .where(and(eq(discubotWebhookEvents.id, rowId), isNull(discubotWebhookEvents.jobId)))
}

/** The inbox row of a delivery as the batch left it (read inside the same batch). */
export function findDelivery(key: DeliveryKey) {
  return useDb().select({ id: discubotWebhookEvents.id, jobId: discubotWebhookEvents.jobId }).from(discubotWebhookEvents)
    .where(and(eq(discubotWebhookEvents.source, key.source), eq(discubotWebhookEvents.eventId, key.eventId)))
}

/**
 * A delivery from a workspace no config claims: recorded (so an admin can see it), no team, no job.
 * A re-delivery of it changes nothing.
 */
export async function recordUnknownWorkspaceDelivery(key: DeliveryKey, detail: string): Promise<void> {
  await useDb().insert(discubotWebhookEvents).values({
    teamId: null,
    source: key.source,
    eventId: key.eventId,
    status: 'unknown_workspace',
    detail,
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }).onConflictDoNothing()
}

/**
 * Deletes up to `limit` inbox rows received before `cutoff`, except those whose job is still to
 * run (a re-delivery must keep finding them). Past the retention a re-delivery cannot happen.
 */
export async function deleteOldDeliveries(cutoff: Date, limit: number): Promise<number> {
  const db = useDb()
  const old = db.select({ id: discubotWebhookEvents.id }).from(discubotWebhookEvents)
    .where(and(
      lt(discubotWebhookEvents.receivedAt, cutoff),
      sql`NOT EXISTS (SELECT 1 FROM discubot_jobs AS job WHERE job.id = ${discubotWebhookEvents.jobId} AND job.status IN ('pending', 'processing'))`,
    ))
    .limit(limit)
  const result = await db.delete(discubotWebhookEvents).where(inArray(discubotWebhookEvents.id, old))
  return result.rowsAffected
}
