// The libSQL client for a local database file, with each connection's prepared statements kept.
// @libsql/client 0.18 prepares every statement again on every call (and asks for its columns
// twice): ~35 µs of a ~60 µs statement on this kind of machine, a quarter of a pipeline job's CPU
// (bench/README.md, "What each change bought"). The engine sends the same few dozen SQL strings
// over and over, so each connection of the pool keeps its statements by SQL text (bounded; the
// least recently used go).
// Everything else is @libsql/client's own file client: its pool, batches, transactions, errors.
// A reused libsql statement is reset by its next run, after an error or SQLITE_BUSY too
// (tests/integration/local-client.test.ts); `reconnect()` (the busy healing in db.ts) opens
// fresh connections with empty caches.
import type Database from 'libsql'
import type { Client } from '@libsql/client'
import { ConnectionPool, Sqlite3Client } from '@libsql/client/sqlite3'

/** Distinct SQL texts a connection keeps prepared. */
export const STATEMENT_CACHE_SIZE = 500

/**
 * Only the statements the app sends are kept. libsql (0.5) never finishes an EXPLAIN: while its
 * statement lives, the connection counts it as running, every later read on that connection keeps
 * its snapshot and no checkpoint can pass it — kept, the WAL would grow without end (found by the
 * growth bench, whose query plans are EXPLAINs). tests/integration/local-client.test.ts checks
 * that each kind the app sends leaves no snapshot behind.
 */
const KEPT = /^\s*(?:select|insert|update|delete|replace|with)\b/i

type Statement = ReturnType<Database.Database['prepare']>

const cached = new WeakSet<Database.Database>()

function keepStatements(db: Database.Database) {
  if (cached.has(db)) return
  cached.add(db)
  const prepare = db.prepare.bind(db)
  const statements = new Map<string, Statement>()
  db.prepare = ((sql: string) => {
    if (!KEPT.test(sql)) return prepare(sql)
    let statement = statements.get(sql)
    if (statement) {
      // Most recently used last: the first entry is the one to drop.
      statements.delete(sql)
      statements.set(sql, statement)
      return statement
    }
    statement = prepare(sql)
    // A statement's columns are fixed once prepared; the client asks twice per read.
    const columns = statement.columns.bind(statement)
    let known: ReturnType<Statement['columns']> | undefined
    statement.columns = () => (known ??= columns())
    // The client finds out whether a statement returns rows by calling raw(), which throws for a
    // write: an Error with its stack each time (4 % of a pipeline job's CPU). Once known, the
    // answer is thrown again without building one.
    const raw = statement.raw.bind(statement)
    let writes: unknown
    statement.raw = ((toggle?: boolean) => {
      if (writes) throw writes
      try {
        return raw(toggle)
      }
      catch (error) {
        writes = error
        throw error
      }
    }) as Statement['raw']
    statements.set(sql, statement)
    if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
    return statement
  }) as Database.Database['prepare']
}

/** SQLite's own: a commit that makes the WAL reach this many pages checkpoints it. */
export const SQLITE_AUTOCHECKPOINT_PAGES = 1000

class StatementKeepingPool extends ConnectionPool {
  autoCheckpointPages = SQLITE_AUTOCHECKPOINT_PAGES
  private readonly applied = new WeakMap<Database.Database, number>()

  override acquireSync(forTransaction?: boolean): Database.Database {
    const db = super.acquireSync(forTransaction)
    keepStatements(db)
    if (this.applied.get(db) !== this.autoCheckpointPages) {
      db.exec(`PRAGMA wal_autocheckpoint = ${this.autoCheckpointPages}`)
      this.applied.set(db, this.autoCheckpointPages)
    }
    return db
  }
}

const pools = new WeakMap<Client, StatementKeepingPool>()

/**
 * WAL pages at which a commit of this client checkpoints the log itself (per connection, applied
 * as each is next borrowed); undefined: SQLite's default. Raised while a checkpointer thread runs
 * (checkpointer.ts), so a commit does it only when the thread has fallen far behind.
 */
export function setAutoCheckpointPages(client: Client, pages: number | undefined) {
  const pool = pools.get(client)
  if (pool) pool.autoCheckpointPages = pages ?? SQLITE_AUTOCHECKPOINT_PAGES
}

/**
 * The database file a `file:` URL names, or undefined when the URL is one this client leaves to
 * @libsql/client (in-memory, query parameters).
 */
export function localPathOf(url: string): string | undefined {
  if (!url.startsWith('file:') || url.includes('?') || url.includes(':memory:')) return undefined
  const rest = url.slice('file:'.length)
  // file:///abs and file://localhost/abs name /abs; file:/abs and file:relative are paths as they are.
  const path = rest.startsWith('//') ? rest.replace(/^\/\/(localhost)?/i, '') : rest
  return path ? decodeURIComponent(path) : undefined
}

export interface LocalClientOptions {
  /** Milliseconds a connection waits for a lock before SQLITE_BUSY. */
  timeout: number
  concurrency: number
}

/** A file client whose connections keep their prepared statements; opens one connection now, so a bad path fails here. */
export function createLocalClient(path: string, options: LocalClientOptions): Client {
  const pool = new StatementKeepingPool(path, { timeout: options.timeout }, Math.max(1, options.concurrency))
  pool.release(pool.acquireSync())
  const client = new Sqlite3Client(pool, 'number')
  pools.set(client, pool)
  return client
}
