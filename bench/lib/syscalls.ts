// What the kernel saw a server process do while a load ran (`strace -c`): the WAL's fsyncs,
// SQLite's busy-handler sleeps (a connection that finds the write lock taken sleeps on the thread
// that runs it — the event loop), page writes. Opt-in (BENCH_SYSCALLS=1): tracing slows the
// process, so these windows run in addition to the measured ones, never instead of them.
import { spawn } from 'node:child_process'

/** The system calls that explain the engine's figures: commits, lock waits, checkpoint writes. */
const TRACED = ['fdatasync', 'fsync', 'clock_nanosleep', 'nanosleep', 'pwrite64', 'pread64', 'fcntl']

export interface SyscallCount {
  calls: number
  seconds: number
}

export function syscallsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.BENCH_SYSCALLS === '1'
}

/** Runs `work` while strace counts the traced calls of `pid` and its threads. */
export async function countSyscalls<T>(pid: number, work: () => Promise<T>): Promise<{ result: T, counts: Map<string, SyscallCount> }> {
  // -w: wall-clock time in each call (a sleep or an fsync waits; its CPU time is nil).
  const strace = spawn('strace', ['-c', '-w', '-f', '-e', `trace=${TRACED.join(',')}`, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let output = ''
  strace.stderr.on('data', (chunk: Buffer) => output += chunk.toString())
  const exited = new Promise<void>(resolve => strace.once('exit', () => resolve()))
  // strace names every thread it attached to before it counts anything.
  for (let waited = 0; !/attached/.test(output); waited += 20) {
    if (strace.exitCode !== null || waited > 5000) throw new Error(`strace could not attach to ${pid}: ${output.trim()}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  try {
    const result = await work()
    strace.kill('SIGINT')
    await exited
    return { result, counts: parseSummary(output) }
  }
  finally {
    if (strace.exitCode === null) strace.kill('SIGKILL')
  }
}

/** Rows of strace's summary table: `% time  seconds  usecs/call  calls  [errors]  syscall`. */
export function parseSummary(output: string): Map<string, SyscallCount> {
  const counts = new Map<string, SyscallCount>()
  for (const line of output.split('\n')) {
    const match = /^\s*[\d.]+\s+([\d.]+)\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line)
    if (match && match[3] !== 'total') counts.set(match[3]!, { calls: Number(match[2]), seconds: Number(match[1]) })
  }
  return counts
}

/** `fdatasync 812 (0.21 s), clock_nanosleep 40 (0.18 s)` per second of the window. */
export function describeCounts(counts: Map<string, SyscallCount>, seconds: number): string {
  const rows = [...counts].sort((a, b) => b[1].seconds - a[1].seconds)
  if (!rows.length) return 'none of ' + TRACED.join(', ')
  return rows.map(([name, c]) => `${name} ${(c.calls / seconds).toFixed(0)}/s (${(c.seconds * 1000 / seconds).toFixed(1)} ms/s)`).join(', ')
}
