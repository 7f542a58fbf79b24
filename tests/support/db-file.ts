// The database file of a running (or stopped) server, opened from the test process. The server
// runs in WAL mode, so a second connection sees every committed row without disturbing it.
import { createClient, type Row } from '@libsql/client'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { closeDb, configureDb, type Db } from '#layers/discubot/server/utils/db'
import { configureSecretsKeyring, loadSecretsKeyring, SECRETS_KEY_FILE } from '#layers/discubot/server/utils/secrets-key'

/**
 * Points this process's `useDb()` at the server's file and returns the drizzle handle. Secrets
 * written through it are sealed with the server's own key (the file it generated beside the
 * database), so the server can read them.
 */
export function openServerDb(dbPath: string): Db {
  const url = `file:${dbPath}`
  const keyFile = join(dirname(dbPath), SECRETS_KEY_FILE)
  configureSecretsKeyring(existsSync(keyFile) ? loadSecretsKeyring({}, url).keyring : undefined)
  return configureDb({ url })
}

export { closeDb }

/** One raw query on its own short-lived connection (leaves `useDb()` alone). */
export async function queryDbFile(dbPath: string, sql: string, args: (string | number | null)[] = []): Promise<Row[]> {
  const client = createClient({ url: `file:${dbPath}` })
  try {
    return (await client.execute({ sql, args })).rows
  }
  finally {
    client.close()
  }
}

export async function countRows(dbPath: string, table: string, where = '1 = 1', args: (string | number | null)[] = []): Promise<number> {
  const [row] = await queryDbFile(dbPath, `SELECT count(*) AS n FROM ${table} WHERE ${where}`, args)
  return Number(row?.n ?? 0)
}
