// Timers as rows: claimed with a lease so a due timer fires once across the fleet, finished by
// the claimer only, rescheduled (recurring) or retired (once).
import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { plainJson } from '../../../../server/database/columns'
import type { TimerCallback } from '../../../../shared/domain'
import { timerParamsSchema } from '../../../../shared/schemas'
import { discubotTimers, type DiscubotTimer } from './schema'

/** Every timer row (system schedules such as cleanup, and one-offs), soonest first. */
export async function listDiscubotTimers(): Promise<DiscubotTimer[]> {
  return useDb().select().from(discubotTimers).orderBy(asc(discubotTimers.nextRunAt))
}

export interface RecurringTimer {
  name: string
  callback: TimerCallback
  intervalMs: number
}

/**
 * The schedule is a row: created once, kept across restarts. A changed interval applies at once
 * if it brings the next run closer.
 */
export async function ensureRecurringTimer(timer: RecurringTimer, now = Date.now()): Promise<void> {
  await useDb().insert(discubotTimers).values({
    name: timer.name,
    kind: 'recurring',
    callback: timer.callback,
    intervalMs: timer.intervalMs,
    nextRunAt: new Date(now + timer.intervalMs),
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }).onConflictDoUpdate({
    target: discubotTimers.name,
    set: {
      intervalMs: timer.intervalMs,
      nextRunAt: sql`min(${discubotTimers.nextRunAt}, ${now + timer.intervalMs})`,
    },
  })
}

/** Claims one due timer (or one whose claimer died mid-run) for `leaseMs`. */
export async function claimDueTimer(owner: string, leaseMs: number, now = new Date()): Promise<DiscubotTimer | undefined> {
  const db = useDb()
  const due = db.select({ id: discubotTimers.id }).from(discubotTimers)
    .where(and(
      eq(discubotTimers.status, 'active'),
      lte(discubotTimers.nextRunAt, now),
      or(isNull(discubotTimers.lockedUntil), lt(discubotTimers.lockedUntil, now)),
    ))
    .orderBy(asc(discubotTimers.nextRunAt)).limit(1)
  const [timer] = await db.update(discubotTimers)
    .set({ lockedBy: owner, lockedUntil: new Date(now.getTime() + leaseMs) })
    .where(eq(discubotTimers.id, sql`(${due})`))
    .returning()
  return timer
}

/** Records the run and schedules the next one (recurring) or retires the timer (once); only its claimer may. */
export async function finishTimer(timer: DiscubotTimer, owner: string, outcome: { result?: unknown, error?: string }, now = new Date()): Promise<void> {
  const recurring = timer.kind === 'recurring' && timer.intervalMs
  await useDb().update(discubotTimers).set({
    lockedBy: null,
    lockedUntil: null,
    lastRunAt: now,
    lastResult: plainJson(outcome.result ?? null) as never,
    lastError: outcome.error ?? null,
    runCount: sql`${discubotTimers.runCount} + 1`,
    ...(recurring ? { nextRunAt: new Date(now.getTime() + timer.intervalMs!) } : { status: 'done' as const }),
    updatedBy: SYSTEM_USER_ID,
    updatedAt: now,
  }).where(and(eq(discubotTimers.id, timer.id), eq(discubotTimers.lockedBy, owner)))
}

// A timer's params hold the settings its callback runs with (the cleanup's retention), so an
// admin's change is a row like the schedule itself and every instance reads the same value.
export async function getDiscubotTimerByName(name: string): Promise<DiscubotTimer | undefined> {
  const [row] = await useDb().select().from(discubotTimers).where(eq(discubotTimers.name, name))
  return row
}

/** Merges `params` into the timer's (json_patch: one statement, no lost update); undefined when no such timer exists yet. */
export async function mergeDiscubotTimerParams(name: string, params: Record<string, unknown>, userId: string): Promise<DiscubotTimer | undefined> {
  const patch = JSON.stringify(timerParamsSchema.parse(params))
  const [row] = await useDb().update(discubotTimers)
    .set({ params: sql`json_patch(${discubotTimers.params}, ${patch})`, updatedBy: userId, updatedAt: new Date() })
    .where(eq(discubotTimers.name, name))
    .returning()
  return row
}
