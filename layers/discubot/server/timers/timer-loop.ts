// Fires due timers. Any instance may claim a due timer; the lease in the row makes it fire once
// across the fleet, and a timer whose instance died mid-run is fired again when its lease expires.
import { consola } from 'consola'
import { useSettings } from '../utils/settings'
import { messageOf } from '../utils/errors'
import type { DiscubotTimer } from '../../collections/timers/server/database/schema'
import { claimDueTimer, finishTimer } from '../../collections/timers/server/database/queries'
import type { TimerCallback } from '../../shared/domain'
import { runCleanup } from './cleanup'

const log = consola.withTag('timers')

export type TimerHandler = (timer: DiscubotTimer) => Promise<unknown>

export const timerHandlers: Record<TimerCallback, TimerHandler> = {
  cleanup: () => runCleanup(),
}

export async function fireDueTimers(owner: string, leaseMs: number, handlers = timerHandlers): Promise<number> {
  let fired = 0
  for (let timer = await claimDueTimer(owner, leaseMs); timer; timer = await claimDueTimer(owner, leaseMs)) {
    fired++
    try {
      const result = await handlers[timer.callback](timer)
      log.info(`timer ${timer.name} ran: ${JSON.stringify(result)}`)
      await finishTimer(timer, owner, { result })
    }
    catch (error) {
      log.warn(`timer ${timer.name} failed: ${messageOf(error)}`)
      await finishTimer(timer, owner, { error: messageOf(error) })
    }
  }
  return fired
}

/** One loop per instance; overdue timers fire on its first pass right after boot. */
export class TimerLoop {
  private readonly stopping = new AbortController()
  private running?: Promise<void>

  constructor(private readonly owner: string) {}

  start() {
    this.running = this.loop()
  }

  async stop() {
    this.stopping.abort()
    await this.running
  }

  private async loop() {
    const settings = useSettings()
    const interval = Math.max(250, settings.pollIntervalMs * 2)
    while (!this.stopping.signal.aborted) {
      try {
        // A long cleanup keeps its lease for a generous bound; it is idempotent if it runs again.
        await fireDueTimers(this.owner, Math.max(settings.leaseMs * 6, 60_000))
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
