// The one way to reach the database: `useDb()` returns the memoised drizzle handle, configured from
// NUXT_DATABASE_URL (a SQLite file by default, or a libSQL server URL).
import { AsyncLocalStorage } from 'node:async_hooks'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import type { BatchItem } from 'drizzle-orm/batch'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { consola } from 'consola'
import * as schema from '../database/schema'
import { withDbRetry } from './db-retry'
import { ensurePrivateFile } from './private-files'
import { backgroundTurn } from './background-turns'
import { createLocalClient, localPathOf, setAutoCheckpointPages } from './local-client'
import { CHECKPOINTER_BEHIND_PAGES, startCheckpointer, type Checkpointer } from './checkpointer'

export type Db = LibSQLDatabase<typeof schema>
/** A transaction handle works wherever a `Db` does. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0]
/** A statement built by a collection's transition, committed by the caller in one batch. */
export type Write = BatchItem<'sqlite'>

export interface DbOptions {
  url: string
  authToken?: string
  /** Milliseconds a file connection waits for a lock before SQLITE_BUSY. */
  busyTimeoutMs?: number
}

export const DEFAULT_DATABASE_URL = 'file:.data/discubot.db'

interface OpenDb {
  options: DbOptions
  client: Client
  db: Db
  /** Why the database could not be opened; `useDb()` tries again on every call until it can. */
  openError?: unknown
  migrated?: Promise<void>
  /** The thread that checkpoints this file (startDbCheckpointer), stopped with the database. */
  checkpointer?: Checkpointer
}

let current: OpenDb | undefined

export function dbOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DbOptions {
  return {
    url: env.NUXT_DATABASE_URL || DEFAULT_DATABASE_URL,
    authToken: env.NUXT_DATABASE_AUTH_TOKEN || undefined,
    busyTimeoutMs: env.NUXT_DATABASE_BUSY_TIMEOUT_MS ? Number(env.NUXT_DATABASE_BUSY_TIMEOUT_MS) : undefined,
  }
}

export function isFileUrl(url: string) {
  return url.startsWith('file:') || url === ':memory:'
}

function createDatabase(options: DbOptions): { client: Client, db: Db } {
  if (isFileUrl(options.url)) {
    const path = options.url.replace(/^file:/, '').split('?')[0]!
    // Created 0600 (in a 0700 folder) before libSQL opens it: see private-files.ts.
    if (path && path !== ':memory:') ensurePrivateFile(resolve(path))
  }
  const timeout = options.busyTimeoutMs ?? 5000
  const localPath = localPathOf(options.url)
  const client = localPath
    ? createLocalClient(localPath, { timeout, concurrency: 8 })
    : createClient({ url: options.url, authToken: options.authToken, timeout, concurrency: 8 })
  if (isFileUrl(options.url)) {
    healConnectionsAfterBusy(client)
    takeTurns(client)
  }
  return { client, db: drizzle(client, { schema }) }
}

const BUSY = /SQLITE_BUSY|database is locked|statements in progress/i

/**
 * @libsql/client 0.18 with a local file leaves a statement un-reset when a write inside a batch
 * or transaction fails with SQLITE_BUSY; that pooled connection then fails every later COMMIT
 * ("cannot commit transaction - SQL statements in progress") until the process restarts
 * (libsql-client-ts#352). After such a failure the pool is reopened, so the instance recovers
 * as soon as the lock is gone instead of answering 503 forever.
 */
function healConnectionsAfterBusy(client: Client) {
  // Failures of one burst share one reopen.
  let reopening = false
  const heal = (error: unknown) => {
    if (reopening || !BUSY.test(String((error as Error)?.message ?? error))) return
    reopening = true
    queueMicrotask(() => {
      reopening = false
      void client.reconnect()
    })
  }
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await call(...args)
    }
    catch (error) {
      heal(error)
      throw error
    }
  }
  const execute = client.execute.bind(client) as (...args: unknown[]) => ReturnType<Client['execute']>
  const batch = client.batch.bind(client)
  const transaction = client.transaction.bind(client)
  client.execute = guard(execute) as Client['execute']
  client.batch = guard(batch)
  client.transaction = guard(async (...args: Parameters<Client['transaction']>) => {
    const tx = await transaction(...args)
    tx.execute = guard(tx.execute.bind(tx))
    tx.batch = guard(tx.batch.bind(tx))
    tx.commit = guard(tx.commit.bind(tx))
    return tx
  })
}

/**
 * Background work's statements wait for their turn (background-turns.ts). A transaction waits
 * once, before it begins: inside it the write lock is held, and every turn would keep the
 * webhooks' commits waiting for the lock.
 */
function takeTurns(client: Client) {
  const inTurn = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => (...args: A): Promise<R> => {
    const turn = backgroundTurn()
    return turn ? turn.then(() => call(...args)) : call(...args)
  }
  client.execute = inTurn(client.execute.bind(client) as (...args: unknown[]) => ReturnType<Client['execute']>) as Client['execute']
  client.batch = inTurn(client.batch.bind(client))
  client.transaction = inTurn(client.transaction.bind(client))
}

/** Stands in for a client whose database could not be opened: every call fails with that reason. */
function unavailableClient(reason: unknown): Client {
  const fail = () => Promise.reject(reason)
  return { execute: fail, batch: fail, migrate: fail, transaction: fail, executeMultiple: fail, sync: fail, close() {}, closed: true, protocol: 'file' } as unknown as Client
}

function openDatabase(options: DbOptions): OpenDb {
  try {
    return { options, ...createDatabase(options) }
  }
  catch (openError) {
    const client = unavailableClient(openError)
    return { options, client, db: drizzle(client, { schema }), openError }
  }
}

/**
 * Points `useDb()` at a database (the server plugin, tests and scripts call it once). Never throws:
 * a database that cannot be opened yet makes queries fail (→ 503) instead of crashing the boot.
 */
export function configureDb(options: DbOptions): Db {
  closeDb()
  current = openDatabase(options)
  return current.db
}

/** The database handle; throws while the database cannot be opened (each call tries again). */
/**
 * Tests that play two instances on one database file run one side's work with another
 * connection: `useDb()` inside `work` (and everything it awaits) answers that handle.
 */
const scopedDb = new AsyncLocalStorage<Db>()

export function runWithDb<T>(db: Db, work: () => T): T {
  return scopedDb.run(db, work)
}

export function useDb(): Db {
  const scoped = scopedDb.getStore()
  if (scoped) return scoped
  if (!current) configureDb(dbOptionsFromEnv())
  if (current!.openError) {
    current = openDatabase(current!.options)
    if (current.openError) throw current.openError
  }
  return current!.db
}

export function useDbClient(): Client {
  useDb()
  return current!.client
}

/** Checkpoints of the database file off the event loop (checkpointer.ts); none for a server URL. */
export function startDbCheckpointer() {
  useDb()
  const open = current!
  const path = localPathOf(open.options.url)
  if (!path || open.checkpointer) return
  setAutoCheckpointPages(open.client, CHECKPOINTER_BEHIND_PAGES)
  const thread = startCheckpointer(resolve(path), {
    onGone: () => {
      setAutoCheckpointPages(open.client, undefined)
      if (open.checkpointer === thread) open.checkpointer = undefined
    },
  })
  open.checkpointer = thread
}

export async function stopDbCheckpointer(): Promise<void> {
  await current?.checkpointer?.stop()
}

/**
 * Runs `work`, which writes pages in bulk (the cleanup), taking the checkpoints itself with the
 * `checkpoint` it is given (between its batches, inside its own time budget) while the thread
 * stands down: the thread's checkpoint I/O running beside a stream of deletes made every commit's
 * fsync wait (bench/README.md, cleanup), and on the event loop the checkpoint is charged to the
 * work that caused it, never to a webhook's commit.
 */
export async function withOwnCheckpoints<T>(work: (checkpoint: () => Promise<void>) => Promise<T>): Promise<T> {
  const thread = current?.checkpointer
  if (!thread) return work(async () => {})
  thread.pause()
  try {
    return await work(async () => {
      await useDbClient().execute('PRAGMA wal_checkpoint(PASSIVE)')
    })
  }
  finally {
    thread.resume()
  }
}

export function closeDb() {
  void current?.checkpointer?.stop()
  current?.client.close()
  current = undefined
}

/**
 * Applies pending migrations once per process. Several instances booting together race on the
 * first run: the loser's migration transaction fails and rolls back, and its retry then finds
 * the migrations applied, so each migration is applied exactly once.
 */
export function ensureMigrated(): Promise<void> {
  try {
    useDb()
  }
  catch (error) {
    return Promise.reject(error)
  }
  const open = current!
  open.migrated ??= runMigrations(open).catch((error) => {
    open.migrated = undefined
    throw error
  })
  return open.migrated
}

async function runMigrations(open: OpenDb) {
  if (isFileUrl(open.options.url) && !open.options.url.includes(':memory:')) {
    await withDbRetry(() => open.client.execute('PRAGMA journal_mode = WAL'), { attempts: 20 })
  }
  const migrationsFolder = findMigrationsFolder()
  await withDbRetry(() => migrate(open.db, { migrationsFolder }), { attempts: 20, baseMs: 50, capMs: 1000, retryAll: true })
  consola.debug(`[db] migrations applied from ${migrationsFolder}`)
}

/**
 * `drizzle/` lives at the project root, and the build copies it next to the server bundle
 * (.output/server/drizzle), so look upward from this module; NUXT_MIGRATIONS_DIR overrides.
 */
export function findMigrationsFolder(): string {
  const override = process.env.NUXT_MIGRATIONS_DIR
  if (override) return override
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'drizzle')
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  const fromCwd = resolve('drizzle')
  if (existsSync(join(fromCwd, 'meta', '_journal.json'))) return fromCwd
  throw new Error('Discubot: cannot find the drizzle/ migrations folder; set NUXT_MIGRATIONS_DIR')
}
