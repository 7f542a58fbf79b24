// Reads the server's database file from the benchmark process (WAL: readers never block it).
import { createClient, type Client } from '@libsql/client'

export function openDbFile(path: string): Client {
  return createClient({ url: `file:${path}`, timeout: 5000 })
}

export async function scalar(client: Client, sql: string, args: (string | number)[] = []): Promise<number> {
  const result = await client.execute({ sql, args })
  return Number(result.rows[0]?.[0] ?? 0)
}
