// Reads the server's database file from the benchmark process (WAL: readers never block it).
import { closeSync, fsyncSync, openSync } from 'node:fs'
import { createClient, type Client } from '@libsql/client'

export function openDbFile(path: string): Client {
  return createClient({ url: `file:${path}`, timeout: 5000 })
}

export async function scalar(client: Client, sql: string, args: (string | number)[] = []): Promise<number> {
  const result = await client.execute({ sql, args })
  return Number(result.rows[0]?.[0] ?? 0)
}

/**
 * A seeded file as a live database has it: the WAL checkpointed into it (empty), and its pages on
 * disk. A WAL left behind by seeding would be checkpointed by the server mid-measurement, and
 * GBs of dirty pages would be written back while it measures, slowing every commit's fsync.
 */
export async function settleDbFile(client: Client, path: string): Promise<void> {
  const [checkpoint] = (await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows
  if (Number(checkpoint?.busy)) throw new Error(`the seeded file could not be checkpointed: ${JSON.stringify(checkpoint)}`)
  const file = openSync(path, 'r')
  try {
    fsyncSync(file)
  }
  finally {
    closeSync(file)
  }
}
