// Timers as rows: claimed with a lease so a due timer fires once across the fleet, finished by
// the claimer only, rescheduled (recurring: an interval, or a wall-clock schedule whose next run
// every instance computes alike from the row's cron and zone) or retired (once).
import { and, asc, count, eq, inArray, isNull, lt, lte, notInArray, or, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { nextRunOf } from '../../../../server/utils/schedule'
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
  /** A wall-clock schedule instead of the interval (cron in `timezone`). */
  cron?: string
  timezone?: string
}

/**
 * The schedule is a row: created once, kept across restarts (a timer parked as unknown by an older
 * version comes back to life). A changed interval applies at once if it brings the next run
 * closer; a changed wall-clock schedule moves the next run to the new schedule's; an unchanged
 * one keeps the row's, so instances booting at different moments never move it.
 */
export async function ensureRecurringTimer(timer: RecurringTimer, now = Date.now()): Promise<void> {
  const cron = timer.cron ?? null
  const timezone = cron ? timer.timezone ?? 'UTC' : null
  const next = nextRunOf({ cron, timezone, intervalMs: timer.intervalMs }, new Date(now))!
  const t = discubotTimers
  const sameSchedule = sql`coalesce(${t.cron}, '') = ${cron ?? ''} AND coalesce(${t.timezone}, '') = ${timezone ?? ''}`
  await useDb().insert(t).values({
    name: timer.name,
    kind: 'recurring',
    callback: timer.callback,
    intervalMs: timer.intervalMs,
    cron,
    timezone,
    nextRunAt: next,
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }).onConflictDoUpdate({
    target: t.name,
    set: {
      intervalMs: timer.intervalMs,
      cron,
      timezone,
      status: 'active',
      nextRunAt: cron
        ? sql`CASE WHEN ${sameSchedule} THEN ${t.nextRunAt} ELSE ${next.getTime()} END`
        : sql`CASE WHEN ${t.cron} IS NULL THEN min(${t.nextRunAt}, ${next.getTime()}) ELSE ${next.getTime()} END`,
    },
  })
}

/**
 * Claims one due timer (or one whose claimer died mid-run) for `leaseMs`, among the `callbacks`
 * this code can run: a newer version's timer is left to an instance that knows it.
 */
export async function claimDueTimer(owner: string, leaseMs: number, now = new Date(), callbacks?: readonly string[]): Promise<DiscubotTimer | undefined> {
  const db = useDb()
  const claimable = and(
    eq(discubotTimers.status, 'active'),
    lte(discubotTimers.nextRunAt, now),
    or(isNull(discubotTimers.lockedUntil), lt(discubotTimers.lockedUntil, now)),
    callbacks ? inArray(discubotTimers.callback, callbacks as TimerCallback[]) : undefined,
  )
  // Read first (no lock; an idle poll writes nothing), then claim the candidate only if it is still
  // claimable: two instances never both take it, and the loser finds nothing until the next poll.
  const [due] = await db.select({ id: discubotTimers.id }).from(discubotTimers)
    .where(claimable).orderBy(asc(discubotTimers.nextRunAt)).limit(1)
  if (!due) return undefined
  const [timer] = await db.update(discubotTimers)
    .set({ lockedBy: owner, lockedUntil: new Date(now.getTime() + leaseMs) })
    .where(and(eq(discubotTimers.id, due.id), claimable))
    .returning()
  return timer
}

/** Records the run and schedules the next one (recurring) or retires the timer (once); only its claimer may. */
export async function finishTimer(timer: DiscubotTimer, owner: string, outcome: { result?: unknown, error?: string }, now = new Date()): Promise<void> {
  const next = timer.kind === 'recurring' ? nextRunOf(timer, now) : null
  await useDb().update(discubotTimers).set({
    lockedBy: null,
    lockedUntil: null,
    lastRunAt: now,
    lastResult: plainJson(outcome.result ?? null) as never,
    lastError: outcome.error ?? null,
    runCount: sql`${discubotTimers.runCount} + 1`,
    ...(next ? { nextRunAt: next } : { status: 'done' as const }),
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

/** Active timers already due at `now`: what a booting instance finds overdue. */
export async function countDueTimers(now = new Date()): Promise<number> {
  const [row] = await useDb().select({ n: count() }).from(discubotTimers)
    .where(and(eq(discubotTimers.status, 'active'), lte(discubotTimers.nextRunAt, now)))
  return row?.n ?? 0
}

/**
 * Retires timers overdue by more than `graceMs` whose callback none of `callbacks` is (a newer
 * version's timer after a downgrade): retried forever they would only fail forever. The row says
 * why; a version that knows the callback re-activates it at boot (ensureRecurringTimer).
 */
export async function retireUnknownTimers(callbacks: readonly string[], graceMs: number, now = new Date()): Promise<DiscubotTimer[]> {
  const unknown = and(
    eq(discubotTimers.status, 'active'),
    lt(discubotTimers.nextRunAt, new Date(now.getTime() - graceMs)),
    notInArray(discubotTimers.callback, callbacks as TimerCallback[]),
  )
  // Every poll asks; almost never is there one. Reading first keeps the idle poll lock-free.
  const [any] = await useDb().select({ id: discubotTimers.id }).from(discubotTimers).where(unknown).limit(1)
  if (!any) return []
  return useDb().update(discubotTimers).set({
    status: 'done',
    lastError: sql`'No instance of this version knows the callback "' || ${discubotTimers.callback} || '"; not retried'`,
    updatedBy: SYSTEM_USER_ID,
    updatedAt: now,
  }).where(unknown).returning()
}

/** One-off timers that ran (or were retired) before `cutoff`: nothing will read them again. */
export async function deleteFinishedOneOffTimers(cutoff: Date): Promise<number> {
  const result = await useDb().delete(discubotTimers).where(and(
    eq(discubotTimers.kind, 'once'),
    eq(discubotTimers.status, 'done'),
    lt(discubotTimers.updatedAt, cutoff),
  ))
  return result.rowsAffected
}
