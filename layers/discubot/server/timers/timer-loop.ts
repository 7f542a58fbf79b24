// Fires due timers. Any instance may claim a due timer; the lease in the row makes it fire once
// across the fleet, and a timer whose instance died mid-run is fired again when its lease expires.
import { consola } from 'consola'
import { useSettings } from '../utils/settings'
import { messageOf } from '../utils/errors'
import { withContext } from '../utils/logging'
import type { DiscubotTimer } from '../../collections/timers/server/database/schema'
import { claimDueTimer, finishTimer, retireUnknownTimers } from '../../collections/timers/server/database/queries'
import type { TimerCallback } from '../../shared/domain'
import { runCleanup } from './cleanup'
import { runInBackground } from '../utils/background-turns'

const log = consola.withTag('timers')

export type TimerHandler = (timer: DiscubotTimer) => Promise<unknown>

export const timerHandlers: Record<TimerCallback, TimerHandler> = {
  cleanup: () => runCleanup(),
}

/** How long a due timer whose callback this version lacks waits for an instance that knows it (a rolling deploy). */
export const UNKNOWN_TIMER_GRACE_MS = 10 * 60_000

/** Fires every timer due at `now` that `handlers` can run; reports (and retires) those no instance ran for too long. */
export async function fireDueTimers(owner: string, leaseMs: number, handlers: Partial<Record<string, TimerHandler>> = timerHandlers, now?: () => Date): Promise<number> {
  const callbacks = Object.keys(handlers)
  const at = () => now?.() ?? new Date()
  for (const timer of await retireUnknownTimers(callbacks, UNKNOWN_TIMER_GRACE_MS, at())) {
    withContext(log, { timer: timer.name }).error(`timer ${timer.name}: ${timer.lastError}`)
  }
  let fired = 0
  for (let timer = await claimDueTimer(owner, leaseMs, at(), callbacks); timer; timer = await claimDueTimer(owner, leaseMs, at(), callbacks)) {
    fired++
    const timerLog = withContext(log, { timer: timer.name })
    try {
      const result = await handlers[timer.callback]!(timer)
      timerLog.info(`timer ${timer.name} ran: ${JSON.stringify(result)}`)
      await finishTimer(timer, owner, { result }, at())
    }
    catch (error) {
      timerLog.warn(`timer ${timer.name} failed: ${messageOf(error)}`)
      await finishTimer(timer, owner, { error: messageOf(error) }, at())
    }
  }
  return fired
}

/** One loop per instance; overdue timers fire on its first pass right after boot. */
export class TimerLoop {
  private readonly stopping = new AbortController()
  private running?: Promise<void>

  constructor(private readonly owner: string) {}

  /** Starts the loop; resolves with how many timers its first pass fired (the overdue ones). */
  start(): Promise<number> {
    let firstPass!: (fired: number) => void
    const fired = new Promise<number>(resolve => firstPass = resolve)
    this.running = runInBackground(() => this.loop(firstPass))
    return fired
  }

  async stop() {
    this.stopping.abort()
    await this.running
  }

  private async loop(firstPass: (fired: number) => void) {
    const settings = useSettings()
    const interval = Math.max(250, settings.pollIntervalMs * 2)
    while (!this.stopping.signal.aborted) {
      let fired = 0
      try {
        // A long cleanup keeps its lease for a generous bound; it is idempotent if it runs again.
        fired = await fireDueTimers(this.owner, Math.max(settings.leaseMs * 6, 60_000))
      }
      catch (error) {
        log.warn(`cannot fire timers (${messageOf(error)}); will try again`)
      }
      firstPass(fired)
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
