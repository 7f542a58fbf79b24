// The engine's loops (pipeline workers, outbox, timers) and the HTTP routes share one event loop,
// and a local libSQL statement runs synchronously on it. An awaited statement resolves as a
// microtask, so without turns a whole stage — dozens of statements and their commits — runs before
// the loop looks at a waiting webhook again, and with a backlog webhooks wait behind one stage
// after another (bench/README.md, "workers on"). Background work therefore waits for its turn
// before each statement: one background statement per loop iteration (setImmediate), so requests
// that arrived meanwhile are read and answered in between.
import { AsyncLocalStorage } from 'node:async_hooks'

const background = new AsyncLocalStorage<true>()
const waiting: Array<() => void> = []
let scheduled = false

/** Runs `work` (and everything it starts) as background work: its statements take turns. */
export function runInBackground<T>(work: () => T): T {
  return background.run(true, work)
}

function grant() {
  scheduled = false
  waiting.shift()?.()
  if (waiting.length) schedule()
}

function schedule() {
  if (scheduled) return
  scheduled = true
  setImmediate(grant)
}

/** Resolves at background work's next turn; undefined (no wait) for a request's own statements. */
export function backgroundTurn(): Promise<void> | undefined {
  if (!background.getStore()) return undefined
  return new Promise((resolve) => {
    waiting.push(resolve)
    schedule()
  })
}
