// Fires due timers. Any instance may claim a due timer; the lease in the row makes it fire once
// across the fleet, and a timer whose instance died mid-run is fired again when its lease expires.
import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm'
import { consola } from 'consola'
import type { Db } from '../utils/db'
import type { Settings } from '../utils/settings'
import { messageOf } from '../utils/errors'
import { plainJson } from '../database/columns'
import { discubotTimers, type DiscubotTimer } from '../../collections/timers/server/database/schema'
import type { TimerCallback } from '../../shared/domain'
import { runCleanup } from './cleanup'

const log = consola.withTag('timers')

export type TimerHandler = (timer: DiscubotTimer) => Promise<unknown>

export const timerHandlers: Record<TimerCallback, TimerHandler> = {
  cleanup: () => runCleanup(),
}

export async function claimDueTimer(db: Db, owner: string, leaseMs: number, now = new Date()): Promise<DiscubotTimer | undefined> {
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

/** Records the run and schedules the next one (recurring) or retires the timer (once). */
async function finishTimer(db: Db, timer: DiscubotTimer, owner: string, outcome: { result?: unknown, error?: string }) {
  const now = new Date()
  const recurring = timer.kind === 'recurring' && timer.intervalMs
  await db.update(discubotTimers).set({
    lockedBy: null,
    lockedUntil: null,
    lastRunAt: now,
    lastResult: plainJson(outcome.result ?? null) as never,
    lastError: outcome.error ?? null,
    runCount: sql`${discubotTimers.runCount} + 1`,
    ...(recurring ? { nextRunAt: new Date(now.getTime() + timer.intervalMs!) } : { status: 'done' as const }),
    updatedAt: now,
  }).where(and(eq(discubotTimers.id, timer.id), eq(discubotTimers.lockedBy, owner)))
}

export async function fireDueTimers(db: Db, owner: string, leaseMs: number, handlers = timerHandlers): Promise<number> {
  let fired = 0
  for (let timer = await claimDueTimer(db, owner, leaseMs); timer; timer = await claimDueTimer(db, owner, leaseMs)) {
    fired++
    try {
      const result = await handlers[timer.callback](timer)
      log.info(`timer ${timer.name} ran: ${JSON.stringify(result)}`)
      await finishTimer(db, timer, owner, { result })
    }
    catch (error) {
      log.warn(`timer ${timer.name} failed: ${messageOf(error)}`)
      await finishTimer(db, timer, owner, { error: messageOf(error) })
    }
  }
  return fired
}

/** One loop per instance; overdue timers fire on its first pass right after boot. */
export class TimerLoop {
  private readonly stopping = new AbortController()
  private running?: Promise<void>

  constructor(private readonly db: Db, private readonly settings: Settings, private readonly owner: string) {}

  start() {
    this.running = this.loop()
  }

  async stop() {
    this.stopping.abort()
    await this.running
  }

  private async loop() {
    const interval = Math.max(250, this.settings.pollIntervalMs * 2)
    while (!this.stopping.signal.aborted) {
      try {
        // A long cleanup keeps its lease for a generous bound; it is idempotent if it runs again.
        await fireDueTimers(this.db, this.owner, Math.max(this.settings.leaseMs * 6, 60_000))
      }
      catch (error) {
        log.warn(`cannot fire timers (${messageOf(error)}); will try again`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval)
        this.stopping.signal.addEventListener('abort', () => {
          clearTimeout(timer)
          resolve()
        }, { once: true })
      })
    }
  }
}
