// Machines shared by several people serialise benchmarks with flock(1) on one file. With
// BENCH_LOCK_FILE set, the run takes that lock only while it measures (building and seeding a
// million jobs take minutes and need not keep others waiting); unset, it never locks.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { progress } from './report'

export async function withBenchLock<T>(what: string, work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_LOCK_FILE
  if (!file) return work()
  const started = Date.now()
  // flock holds the lock for as long as `cat` runs, and `cat` runs until its stdin closes.
  const holder = spawn('flock', [file, 'sh', '-c', 'echo locked; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve())
    holder.once('exit', code => reject(new Error(`flock ${file} exited with ${code}`)))
  })
  if (Date.now() - started > 1000) progress(`waited ${((Date.now() - started) / 1000).toFixed(0)} s for ${file} (${what})`)
  try {
    return await work()
  }
  finally {
    const exited = once(holder, 'exit')
    holder.stdin.end()
    await exited
  }
}
