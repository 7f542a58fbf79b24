// In-process wake-up: a webhook that queued a job wakes this instance's idle workers at once
// instead of leaving the job to the next poll. Other instances find it on their own poll.
import { EventEmitter } from 'node:events'

const bus = new EventEmitter()
bus.setMaxListeners(0)

export function notifyJobQueued() {
  bus.emit('job')
}

/** Resolves after `ms`, or sooner when a job is queued or `signal` aborts. */
export function waitForWork(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      bus.off('job', done)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    bus.once('job', done)
    signal?.addEventListener('abort', done, { once: true })
  })
}
