// Each password check is a 16 MiB scrypt on libuv's thread pool. Unbounded, a burst of sign-ins
// takes the memory and the threads the rest of the server needs: a few run at once, a short
// queue waits, and beyond that a try is turned away at once rather than left hanging.
import pLimit, { type LimitFunction } from 'p-limit'
import { testHookEnabled } from '../pipeline/test-hold'

export class PasswordCheckGate {
  private readonly limit: LimitFunction

  constructor(readonly concurrency: number, readonly queueLength: number = concurrency * 4) {
    this.limit = pLimit(concurrency)
  }

  /** Runs `check` in its turn; undefined, without running it, when the queue is full. */
  run<T>(check: () => Promise<T>): Promise<T> | undefined {
    if (this.limit.activeCount + this.limit.pendingCount >= this.concurrency + this.queueLength) return undefined
    return this.limit(() => {
      traceRunning(this.limit.activeCount)
      return check()
    })
  }

  get running(): number {
    return this.limit.activeCount
  }
}

/**
 * Test builds started with DISCUBOT_TEST_TRACE_PASSWORD_CHECKS=1 print how many checks run as
 * each one starts, so an end-to-end test can see the cap hold in the built server.
 */
function traceRunning(running: number) {
  if (testHookEnabled('DISCUBOT_TEST_TRACE_PASSWORD_CHECKS')) console.log(`[test-trace] password checks running: ${running}`)
}
