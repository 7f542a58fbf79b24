// The outbox's life as named transitions. Intents are unexecuted statements the caller commits in
// the batch of the state change that causes them (a job's start, completion or failure), so an
// intent exists exactly when its cause does. Workers claim due rows with a lease (one
// UPDATE … WHERE id = (SELECT …) RETURNING), and settle only the version of the intent they
// delivered: a row re-armed meanwhile goes back to the queue with its new intent.
import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { newId, plainJson } from '../../../../server/database/columns'
import type { OutboxKind, OutboxStatus } from '../../../../shared/domain'
import type { AlertPayload, OutboxPayload, OutboxResult } from '../../../../shared/outbox'
import { discubotOutbox, type DiscubotOutboxItem } from './schema'

export interface OutboxIntent {
  teamId: string
  kind: OutboxKind
  dedupeKey: string
  /** The kind's payload (shared/outbox.ts). */
  payload: object
  jobId?: string | null
  /** Due now unless later. */
  runAt?: Date
  /** Settled at once with this reason: there is nothing to deliver (the row says why). */
  skipped?: string
}

function intentValues(intent: OutboxIntent, now: Date) {
  return {
    id: newId(),
    teamId: intent.teamId,
    kind: intent.kind,
    dedupeKey: intent.dedupeKey,
    payload: plainJson(intent.payload) as OutboxPayload,
    jobId: intent.jobId ?? null,
    status: (intent.skipped ? 'skipped' : 'pending') as OutboxStatus,
    runAt: intent.runAt ?? now,
    lastError: intent.skipped ?? null,
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
    createdAt: now,
    updatedAt: now,
  }
}

/**
 * An intent that supersedes the row's earlier one (the wanted reactions of a message, a chain's
 * failure note): pending again with fresh attempts, and a new version so that a worker still
 * delivering the old one hands the row back instead of settling it.
 */
export function armOutboxItem(intent: OutboxIntent, now = new Date()): Write {
  return useDb().insert(discubotOutbox).values(intentValues(intent, now)).onConflictDoUpdate({
    target: discubotOutbox.dedupeKey,
    set: {
      payload: sql`excluded.payload`,
      jobId: sql`excluded.job_id`,
      status: sql`excluded.status`,
      runAt: sql`excluded.run_at`,
      lastError: sql`excluded.last_error`,
      attempts: 0,
      version: sql`${discubotOutbox.version} + 1`,
      updatedBy: SYSTEM_USER_ID,
      updatedAt: now,
    },
  })
}

/** A one-off intent (an alert): the first write of a key wins, later ones are the same alert. */
export function enqueueOutboxItem(intent: OutboxIntent, now = new Date()): Write {
  return useDb().insert(discubotOutbox).values(intentValues(intent, now)).onConflictDoNothing({ target: discubotOutbox.dedupeKey })
}

/** Replaces the intent of an existing row still in `statuses`; no row, no change (e.g. "the failure was fixed" for a note never posted). */
export function rearmExistingOutboxItem(dedupeKey: string, payload: object, statuses: OutboxStatus[], jobId: string | null, now = new Date()): Write {
  return useDb().update(discubotOutbox).set({
    payload: plainJson(payload) as OutboxPayload,
    jobId,
    status: 'pending',
    runAt: now,
    lastError: null,
    attempts: 0,
    version: sql`${discubotOutbox.version} + 1`,
    updatedBy: SYSTEM_USER_ID,
    updatedAt: now,
  }).where(and(eq(discubotOutbox.dedupeKey, dedupeKey), inArray(discubotOutbox.status, statuses)))
}

export const FAILED_JOBS_KEY_PREFIX = 'failed-jobs:'

/**
 * A team's failures are reported in windows: the first failure after a quiet spell opens one,
 * due when it closes (plus `graceMs`, so failures committed at its end are counted), and every
 * failure until then falls into it. One INSERT … SELECT … WHERE NOT EXISTS: failures racing on
 * several workers open one window, and windows never overlap, so a team gets at most one
 * failed-jobs message per window length.
 */
export function openFailedJobsWindow(teamId: string, at: Date, windowMs: number, graceMs: number, jobId: string): Write {
  const until = new Date(at.getTime() + windowMs)
  const prefix = `${FAILED_JOBS_KEY_PREFIX}${teamId}:`
  const payload: AlertPayload = { type: 'failed_jobs', since: at.toISOString(), until: until.toISOString() }
  const row = intentValues({ teamId, kind: 'alert', dedupeKey: `${prefix}${at.toISOString()}`, payload, jobId, runAt: new Date(until.getTime() + graceMs) }, at)
  return useDb().run(sql`
    INSERT INTO discubot_outbox (id, team_id, kind, dedupe_key, status, payload, job_id, run_at, created_by, updated_by, created_at, updated_at)
    SELECT ${row.id}, ${teamId}, 'alert', ${row.dedupeKey}, 'pending', ${JSON.stringify(payload)}, ${jobId}, ${row.runAt.getTime()}, ${SYSTEM_USER_ID}, ${SYSTEM_USER_ID}, ${at.getTime()}, ${at.getTime()}
    WHERE NOT EXISTS (
      SELECT 1 FROM discubot_outbox
      WHERE team_id = ${teamId} AND kind = 'alert' AND substr(dedupe_key, 1, ${prefix.length}) = ${prefix} AND run_at > ${at.getTime() + graceMs}
    )
    ON CONFLICT (dedupe_key) DO NOTHING`)
}

// ---------------------------------------------------------------- delivery

/**
 * Claims one due row (or one whose worker died mid-delivery) for `leaseMs`, counting the attempt.
 * The due row is found with a read first: an idle outbox then never takes the database's write
 * lock. The UPDATE checks again, so of two workers that read the same row one claims it.
 */
export async function claimDueOutboxItem(owner: string, leaseMs: number, now = new Date()): Promise<DiscubotOutboxItem | undefined> {
  const db = useDb()
  const due = and(
    eq(discubotOutbox.status, 'pending'),
    lte(discubotOutbox.runAt, now),
    or(isNull(discubotOutbox.lockedUntil), lt(discubotOutbox.lockedUntil, now)),
  )
  const [candidate] = await db.select({ id: discubotOutbox.id }).from(discubotOutbox).where(due).orderBy(asc(discubotOutbox.runAt)).limit(1)
  if (!candidate) return undefined
  const [item] = await db.update(discubotOutbox)
    .set({ lockedBy: owner, lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${discubotOutbox.attempts} + 1` })
    .where(and(eq(discubotOutbox.id, candidate.id), due))
    .returning()
  return item
}

/** Extends the lease while a delivery runs; false when the row is no longer ours. */
export async function renewOutboxLease(id: string, owner: string, leaseMs: number): Promise<boolean> {
  const result = await useDb().update(discubotOutbox)
    .set({ lockedUntil: new Date(Date.now() + leaseMs) })
    .where(and(eq(discubotOutbox.id, id), eq(discubotOutbox.lockedBy, owner)))
  return result.rowsAffected === 1
}

/** `result`: what the delivery did, for the admin (any JSON-able object). */
export type OutboxSettlement
  = | { status: 'delivered' | 'skipped' | 'failed', result?: object, error?: string | null }
    | { status: 'retry', runAt: Date, error: string, result?: object }

/**
 * Settles the version of the intent the worker delivered; if the row was re-armed meanwhile it
 * only releases the lease, and the new intent is delivered next. Returned as statements so a
 * fan-out can commit its new rows in the same batch.
 */
export function settleOutboxItem(item: Pick<DiscubotOutboxItem, 'id' | 'version'>, owner: string, settlement: OutboxSettlement, now = new Date()): Write[] {
  const db = useDb()
  const mine = and(eq(discubotOutbox.id, item.id), eq(discubotOutbox.lockedBy, owner))
  const released = { lockedBy: null, lockedUntil: null, updatedBy: SYSTEM_USER_ID, updatedAt: now }
  const outcome = settlement.status === 'retry'
    ? { status: 'pending' as const, runAt: settlement.runAt, lastError: settlement.error }
    : { status: settlement.status, lastError: settlement.error ?? null, ...(settlement.status === 'delivered' ? { deliveredAt: now } : {}) }
  return [
    db.update(discubotOutbox)
      .set({ ...outcome, ...(settlement.result ? { result: plainJson(settlement.result) as OutboxResult } : {}), ...released })
      .where(and(mine, eq(discubotOutbox.version, item.version))),
    // Re-armed while we delivered (the first statement matched nothing): hand it back, due now.
    db.update(discubotOutbox).set({ ...released, runAt: now }).where(mine),
  ]
}

export async function commitOutboxWrites(writes: Write[]): Promise<void> {
  if (writes.length === 0) return
  await useDb().batch(writes as [Write, ...Write[]])
}

// ---------------------------------------------------------------- reads

export async function getOutboxItemsByKeys(teamId: string, keys: string[]): Promise<DiscubotOutboxItem[]> {
  if (keys.length === 0) return []
  return useDb().select().from(discubotOutbox)
    .where(and(eq(discubotOutbox.teamId, teamId), inArray(discubotOutbox.dedupeKey, keys)))
}

/** The team's latest alerts, newest first (the Settings page; their deliveries are read by key). */
export async function listTeamAlertItems(teamId: string, limit = 50): Promise<DiscubotOutboxItem[]> {
  return useDb().select().from(discubotOutbox)
    .where(and(eq(discubotOutbox.teamId, teamId), eq(discubotOutbox.kind, 'alert')))
    .orderBy(desc(discubotOutbox.createdAt), desc(discubotOutbox.id))
    .limit(limit)
}

export async function getOutboxItem(teamId: string, id: string): Promise<DiscubotOutboxItem | undefined> {
  const [row] = await useDb().select().from(discubotOutbox).where(and(eq(discubotOutbox.teamId, teamId), eq(discubotOutbox.id, id)))
  return row
}

// ---------------------------------------------------------------- cleanup

/** Deletes up to `limit` settled rows last changed before `cutoff`; pending ones stay, however old. */
export async function deleteSettledOutboxItems(cutoff: Date, limit: number): Promise<number> {
  const db = useDb()
  const batch = db.select({ id: discubotOutbox.id }).from(discubotOutbox)
    .where(and(inArray(discubotOutbox.status, ['delivered', 'failed', 'skipped']), lt(discubotOutbox.updatedAt, cutoff)))
    .limit(limit)
  const result = await db.delete(discubotOutbox).where(inArray(discubotOutbox.id, batch))
  return result.rowsAffected
}
