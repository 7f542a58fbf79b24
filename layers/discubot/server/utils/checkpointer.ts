// SQLite checkpoints a WAL database inside whichever commit makes the log cross 1,000 pages: that
// commit copies the pages into the database file and fsyncs it, synchronously, on the thread that
// committed — here the event loop, inside some webhook's answer. The bigger the indexes, the more
// pages each commit dirties and the more often that happens (bench/README.md, growth to 1M jobs).
// A thread of its own, with its own connection, checkpoints instead (PASSIVE: it never waits for
// a lock and never blocks a reader or a writer), and meanwhile the app's commits checkpoint only
// past 10,000 pages — when the thread is far behind, or gone.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { consola } from 'consola'
import { SQLITE_AUTOCHECKPOINT_PAGES } from './local-client'

const log = consola.withTag('db')

// CommonJS, evaluated in the worker: only the libsql binding, nothing of the app. Each tick reads
// the WAL-index header (the -shm file, sqlite.org/walformat.html: mxFrame at byte 16, nBackfill
// at byte 96, native byte order) and checkpoints when SQLite itself would — 1,000 frames not yet
// copied back — or when frames wait and nothing was written since the last tick. Checkpointing
// more often than that costs more fsyncs of the database file, and a busy disk makes every
// commit's own fsync wait (bench/README.md, cleanup).
const THREAD = `
const { readSync, openSync } = require('node:fs')
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.libsql)
const db = new Database(workerData.path, { timeout: 0 })
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
const header = Buffer.alloc(100)
let shm
let lastFrame = -1
let failures = 0
function framesBehind() {
  try {
    shm ??= openSync(workerData.path + '-shm', 'r')
    if (readSync(shm, header, 0, 100, 0) < 100) return undefined
    const mxFrame = header.readUInt32LE(16)
    const idle = mxFrame === lastFrame
    lastFrame = mxFrame
    return { behind: mxFrame - header.readUInt32LE(96), idle }
  }
  catch {
    return undefined
  }
}
let paused = false
const timer = setInterval(() => {
  if (paused) return
  const wal = framesBehind()
  if (wal && !(wal.behind >= workerData.pages || (wal.behind > 0 && wal.idle))) return
  try {
    checkpoint.all()
    failures = 0
  }
  catch (error) {
    if (failures++ === 0) parentPort.postMessage(String(error && error.message || error))
  }
}, workerData.intervalMs)
parentPort.on('message', (message) => {
  if (message === 'pause' || message === 'resume') {
    paused = message === 'pause'
    return
  }
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export interface Checkpointer {
  /** Stands the thread down while the app checkpoints itself (a cleanup, between its batches). */
  pause(): void
  resume(): void
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
  const worker = new Worker(THREAD, { eval: true, workerData: { path, intervalMs, libsql, pages: SQLITE_AUTOCHECKPOINT_PAGES } })
  // A checkpoint that fails (a locked or vanished file) is retried on the next tick; say so once.
  worker.on('message', message => log.warn(`background checkpoint failed: ${message}; SQLite's own checkpoints go on`))
  worker.on('error', error => log.warn(`background checkpoints stopped: ${error.message}; SQLite's own checkpoints go on`))
  worker.unref()
  const exited = new Promise<void>(resolve => worker.once('exit', () => {
    onGone?.()
    resolve()
  }))
  return {
    pause: () => worker.postMessage('pause'),
    resume: () => worker.postMessage('resume'),
    async stop() {
      worker.postMessage('stop')
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 2000).unref())])
      await worker.terminate()
    },
  }
}
