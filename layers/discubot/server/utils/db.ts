// The one way to reach the database: `useDb()` returns the memoised drizzle handle, configured from
// NUXT_DATABASE_URL (a SQLite file by default, or a libSQL server URL).
import { mkdirSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { consola } from 'consola'
import * as schema from '../database/schema'
import { withDbRetry } from './db-retry'

export type Db = LibSQLDatabase<typeof schema>
/** A transaction handle works wherever a `Db` does. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0]

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
  migrated?: Promise<void>
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
    if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
  }
  const client = createClient({
    url: options.url,
    authToken: options.authToken,
    timeout: options.busyTimeoutMs ?? 5000,
    concurrency: 8,
  })
  return { client, db: drizzle(client, { schema }) }
}

/** Points `useDb()` at a database (the server plugin, tests and scripts call it once). */
export function configureDb(options: DbOptions): Db {
  current?.client.close()
  current = { options, ...createDatabase(options) }
  return current.db
}

export function useDb(): Db {
  if (!current) configureDb(dbOptionsFromEnv())
  return current!.db
}

export function useDbClient(): Client {
  useDb()
  return current!.client
}

export function closeDb() {
  current?.client.close()
  current = undefined
}

/**
 * Applies pending migrations once per process. Several instances booting together race on the
 * first run: the loser's migration transaction fails and rolls back, and its retry then finds
 * the migrations applied, so each migration is applied exactly once.
 */
export function ensureMigrated(): Promise<void> {
  useDb()
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
