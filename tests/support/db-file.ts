// Reads the database file of a running (or stopped) server from the test process: the server
// runs in WAL mode, so a second connection sees every committed row without disturbing it.
import { createClient, type Row } from '@libsql/client'

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
