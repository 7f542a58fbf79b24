// SQLite checkpoints a WAL database inside whichever commit makes the log cross 1,000 pages: that
// commit copies the pages into the database file and fsyncs it, synchronously, on the thread that
// committed — here the event loop, inside some webhook's answer. The bigger the indexes, the more
// pages each commit dirties and the more often that happens (bench/README.md, growth to 1M jobs).
// A thread of its own, with its own connection, checkpoints every 100 ms instead, and meanwhile
// the app's commits checkpoint only past 10,000 pages (the thread is then far behind, or gone).
// PASSIVE never waits for a lock and never blocks a reader or a writer.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { consola } from 'consola'

const log = consola.withTag('db')

// CommonJS, evaluated in the worker: only the libsql binding, nothing of the app.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.libsql)
const db = new Database(workerData.path, { timeout: 0 })
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
let failures = 0
const timer = setInterval(() => {
  try {
    checkpoint.all()
    failures = 0
  }
  catch (error) {
    if (failures++ === 0) parentPort.postMessage(String(error && error.message || error))
  }
}, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export interface Checkpointer {
  stop(): Promise<void>
}

export interface CheckpointerOptions {
  intervalMs?: number
  /** Called once when the thread is gone (stopped or failed): the app checkpoints on its own again. */
  onGone?: () => void
}

/** WAL pages past which the app's own commits checkpoint while the thread runs. */
export const CHECKPOINTER_BEHIND_PAGES = 10_000

/** Checkpoints the WAL of the database file at `path` every `intervalMs`, on a thread of its own. */
export function startCheckpointer(path: string, { intervalMs = 100, onGone }: CheckpointerOptions = {}): Checkpointer {
  const libsql = createRequire(import.meta.url).resolve('libsql')
  const worker = new Worker(THREAD, { eval: true, workerData: { path, intervalMs, libsql } })
  // A checkpoint that fails (a locked or vanished file) is retried on the next tick; say so once.
  worker.on('message', message => log.warn(`background checkpoint failed: ${message}; SQLite's own checkpoints go on`))
  worker.on('error', error => log.warn(`background checkpoints stopped: ${error.message}; SQLite's own checkpoints go on`))
  worker.unref()
  const exited = new Promise<void>(resolve => worker.once('exit', () => {
    onGone?.()
    resolve()
  }))
  return {
    async stop() {
      worker.postMessage('stop')
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 2000).unref())])
      await worker.terminate()
    },
  }
}
