// Reads a running server's database file from the test process (WAL allows it alongside the server).
import { closeDb, configureDb, type Db } from '#layers/discubot/server/utils/db'

export function openServerDb(dbPath: string): Db {
  return configureDb({ url: `file:${dbPath}` })
}

export { closeDb }
