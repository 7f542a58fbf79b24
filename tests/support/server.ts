// Starts the built server as a child process (so tests can kill -9 it) on a free port, with a
// temp database and fast engine timings unless the test says otherwise.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { testServerEntry } from './paths'
import { tempDir } from './temp-db'

export interface ServerHandle {
  url: string
  port: number
  dbPath: string
  env: Record<string, string>
  child: ChildProcess
  /** Everything the process printed so far (stdout + stderr). */
  logs(): string
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface StartServerOptions {
  env?: Record<string, string | undefined>
  /** Reuse a database (restart after a crash); a fresh temp file otherwise. */
  dbPath?: string
  port?: number
  /** Wait for /api/health to answer 200 (default true). */
  waitHealthy?: boolean
}

export const TEST_SESSION_PASSWORD = 'test-session-password-0123456789-abcdefghij'

export async function startServer(options: StartServerOptions = {}): Promise<ServerHandle> {
  const port = options.port ?? await freePort()
  const dbPath = options.dbPath ?? join(tempDir(), 'discubot.db')
  const url = `http://127.0.0.1:${port}`
  const defaults: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    NUXT_DATABASE_URL: `file:${dbPath}`,
    NUXT_SESSION_PASSWORD: TEST_SESSION_PASSWORD,
    NUXT_PUBLIC_BASE_URL: url,
    NUXT_WORKER_CONCURRENCY: '2',
    NUXT_POLL_INTERVAL_MS: '100',
    NUXT_RETRY_BASE_MS: '100',
    NUXT_RETRY_MAX_MS: '2000',
    NUXT_LEASE_MS: '3000',
    NUXT_HTTP_TIMEOUT_MS: '3000',
  }
  const overrides = Object.entries(options.env ?? {})
  const unset = new Set(overrides.filter(([, value]) => value === undefined).map(([key]) => key))
  const env: Record<string, string> = Object.fromEntries([
    ...Object.entries(defaults).filter(([key]) => !unset.has(key)),
    ...overrides.filter((entry): entry is [string, string] => entry[1] !== undefined),
  ])
  const child = spawn(process.execPath, [testServerEntry()], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    for (const listener of listeners) listener()
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))

  const handle: ServerHandle = {
    url,
    port,
    dbPath,
    env,
    child,
    logs: () => output,
    waitForLog(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern)
          if (match) {
            listeners.delete(check)
            clearTimeout(timer)
            resolve(match)
          }
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`Timed out waiting for ${pattern} in server output:\n${output.slice(-4000)}`))
        }, timeoutMs)
        listeners.add(check)
        check()
      })
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
    async stop() {
      await handle.kill('SIGTERM')
    },
  }

  if (options.waitHealthy !== false) await waitForHealthy(handle)
  return handle
}

async function waitForHealthy(server: ServerHandle, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`Server exited early:\n${server.logs()}`)
    try {
      const response = await fetch(`${server.url}/api/health`)
      if (response.ok) return
    }
    catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`Server not healthy after ${timeoutMs} ms:\n${server.logs()}`)
}

/** Polls `check` until it returns a truthy value. */
export async function waitFor<T>(check: () => Promise<T> | T, { timeoutMs = 30_000, intervalMs = 100, message = 'condition' } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value) return value as NonNullable<T>
    }
    catch (error) {
      last = error
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
  throw new Error(`Timed out waiting for ${message}${last ? `: ${String(last)}` : ''}`)
}
