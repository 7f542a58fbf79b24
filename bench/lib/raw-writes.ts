// The floor of any durable write path on this disk: single-row INSERT transactions in a loop,
// through the same libSQL client, on the same kind of database file (WAL, default synchronous).
import type { Client } from '@libsql/client'

const BODY = 'x'.repeat(400)

/** Committed single-row INSERT transactions per second over `durationMs`. */
export async function rawWriteRate(client: Client, durationMs = 1000): Promise<number> {
  await client.execute('CREATE TABLE IF NOT EXISTS bench_raw_writes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL)')
  // A fresh WAL file grows on every commit, which costs far more than steady state: warm it first.
  await insertFor(client, Math.min(300, durationMs))
  return insertFor(client, durationMs)
}

async function insertFor(client: Client, durationMs: number): Promise<number> {
  const started = performance.now()
  let n = 0
  while (performance.now() - started < durationMs) {
    await client.execute({ sql: 'INSERT INTO bench_raw_writes (body, created_at) VALUES (?, ?)', args: [BODY, Date.now()] })
    n++
  }
  return n / ((performance.now() - started) / 1000)
}
