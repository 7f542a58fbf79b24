// A fingerprint of what a server has written: per table, the row count and a hash of every row.
// Taken before and after a request the server rejected, it proves the request wrote nothing —
// no inserted row, and no row updated half-way either. One connection, kept open (WAL readers do
// not block the server's writes).
import { createHash } from 'node:crypto'
import { createClient, type Client } from '@libsql/client'

/** The tables a request can write to. Timers are left out: the timer loop leases them on its own. */
export const DOMAIN_TABLES = [
  'discubot_configs',
  'discubot_discussions',
  'discubot_jobs',
  'discubot_job_stages',
  'discubot_tasks',
  'discubot_webhook_events',
  'discubot_teams',
  'discubot_team_members',
  'discubot_users',
  'discubot_team_invites',
  'discubot_password_resets',
  'discubot_source_users',
  'discubot_notion_users',
] as const

const comparable = (value: unknown) => {
  if (typeof value === 'bigint') return String(value)
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('hex')
  return value
}

export type RowSnapshot = Record<string, { rows: number, hash: string }>

export interface RowWatcher {
  snapshot(): Promise<RowSnapshot>
  close(): void
}

export interface WatchOptions {
  tables?: readonly string[]
  /** Only the rows of one team (every table watched must have `team_id`). */
  teamId?: string
  /** Rows left out per table (an SQL condition on the rows that count). */
  only?: Partial<Record<string, string>>
}

export function watchRows(dbPath: string, { tables = DOMAIN_TABLES, teamId, only = {} }: WatchOptions = {}): RowWatcher {
  const client: Client = createClient({ url: `file:${dbPath}` })
  const where = (table: string) => {
    const conditions = [teamId === undefined ? '' : 'team_id = ?', only[table] ?? ''].filter(Boolean)
    return conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
  }
  return {
    async snapshot() {
      const results = await client.batch(tables.map(table => ({ sql: `SELECT * FROM ${table}${where(table)} ORDER BY rowid`, args: teamId === undefined ? [] : [teamId] })), 'read')
      return Object.fromEntries(results.map((result, i) => {
        const hash = createHash('sha256')
        for (const row of result.rows) hash.update(JSON.stringify(Array.from(row, comparable)))
        return [tables[i]!, { rows: result.rows.length, hash: hash.digest('hex').slice(0, 16) }]
      }))
    },
    close: () => client.close(),
  }
}
