// The webhook inbox: every delivery and what became of it. An accepted delivery's row is unique on
// (source, eventId) and is the dedupe of re-deliveries; its statements are unexecuted where the
// hand-off commits them in one batch with the job they create. The other outcomes are one
// statement each, keyed `<outcome>:…` so they never take an accepted delivery's key, with their
// repeats counted on the row (a rejected signature: one row per source and hour).
import { and, count, desc, eq, getTableColumns, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { containsText, dateRange, offsetOf } from '../../../../server/database/query-helpers'
import type { WebhookSourceType } from '../../../../shared/domain'
import type { DeliveryListQuery, Page } from '../../../../shared/list-query'
import { discubotWebhookEvents, type DiscubotWebhookEvent } from './schema'

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
 * A re-delivery of an accepted event gets a row of its own (`duplicate:<event id>`, later copies
 * counted on it) pointing at the first copy's job. Part of the hand-off's batch: it inserts only
 * when the inbox row the batch finds for `key` is not this delivery's `rowId`.
 */
export function recordDuplicateDelivery(key: DeliveryKey, rowId: string, teamId: string): Write {
  const first = alias(discubotWebhookEvents, 'first_copy')
  const now = Date.now()
  return useDb().insert(discubotWebhookEvents).select(
    // Every column, in table order (drizzle's insert-select requires it).
    useDb().select({
      id: sql<string>`${crypto.randomUUID()}`.as('id'),
      teamId: sql<string>`${teamId}`.as('team_id'),
      source: first.source,
      eventId: sql<string>`${`duplicate:${key.eventId}`}`.as('event_id'),
      status: sql<'duplicate'>`'duplicate'`.as('status'),
      detail: sql<null>`NULL`.as('detail'),
      jobId: first.jobId,
      redeliveries: sql<number>`0`.as('redeliveries'),
      receivedAt: sql<number>`${now}`.as('received_at'),
      createdBy: sql<string>`${SYSTEM_USER_ID}`.as('created_by'),
      updatedBy: sql<string>`${SYSTEM_USER_ID}`.as('updated_by'),
      createdAt: sql<number>`${now}`.as('created_at'),
      updatedAt: sql<number>`${now}`.as('updated_at'),
    }).from(first).where(and(eq(first.source, key.source), eq(first.eventId, key.eventId), ne(first.id, rowId))),
  ).onConflictDoUpdate({
    target: [discubotWebhookEvents.source, discubotWebhookEvents.eventId],
    set: { redeliveries: sql`${discubotWebhookEvents.redeliveries} + 1`, updatedAt: new Date(now) },
  })
}

/** The row keys of outcomes that never take an accepted delivery's key. */
export const inboxKeys = {
  ignored: (eventId: string) => `ignored:${eventId}`,
  /** Per hour (UTC): a flood of forged requests is one row with a count, never a row each. */
  rejected: (at: Date) => `rejected:${at.toISOString().slice(0, 13)}`,
}

export interface OutcomeRecord {
  source: WebhookSourceType
  eventId: string
  status: 'ignored' | 'rejected'
  teamId: string | null
  detail: string
}

/** One statement: the row of an ignored or rejected delivery, or one more repeat counted on it (with the latest detail). */
export async function recordDeliveryOutcome(record: OutcomeRecord, now = new Date()): Promise<void> {
  await useDb().insert(discubotWebhookEvents).values({
    teamId: record.teamId,
    source: record.source,
    eventId: record.eventId,
    status: record.status,
    detail: record.detail,
    receivedAt: now,
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }).onConflictDoUpdate({
    target: [discubotWebhookEvents.source, discubotWebhookEvents.eventId],
    set: { redeliveries: sql`${discubotWebhookEvents.redeliveries} + 1`, detail: record.detail, updatedAt: now },
  })
}

export type DeliveryListItem = Omit<DiscubotWebhookEvent, 'status' | 'createdBy' | 'updatedBy'> & { outcome: DiscubotWebhookEvent['status'] }

/**
 * A page of the inbox, newest first. `withUnattributed`: also the rows no team can be named for
 * (unknown workspaces, bad signatures), which only the instance's own team sees.
 */
export async function listDiscubotDeliveries(teamId: string, query: DeliveryListQuery, withUnattributed: boolean): Promise<Page<DeliveryListItem>> {
  const t = discubotWebhookEvents
  const where = and(
    withUnattributed ? or(eq(t.teamId, teamId), isNull(t.teamId)) : eq(t.teamId, teamId),
    query.source ? eq(t.source, query.source) : undefined,
    query.outcome ? eq(t.status, query.outcome) : undefined,
    containsText([t.eventId, t.detail, t.jobId], query.q),
    dateRange(t.receivedAt, query.from, query.to),
  )
  const db = useDb()
  const { status: outcome, createdBy: _c, updatedBy: _u, ...columns } = getTableColumns(t)
  const [items, [total]] = await Promise.all([
    db.select({ ...columns, outcome }).from(t).where(where)
      .orderBy(query.order === 'asc' ? t.receivedAt : desc(t.receivedAt), query.order === 'asc' ? t.id : desc(t.id))
      .limit(query.pageSize).offset(offsetOf(query.page, query.pageSize)),
    db.select({ n: count() }).from(t).where(where),
  ])
  return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize }
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
