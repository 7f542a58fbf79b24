// A write that hits SQLITE_BUSY (another process holds the lock past the busy timeout) must not
// poison the connection pool: once the lock is gone, transactions and batches commit again.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { sql } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { configureDb, type Db } from '#layers/discubot/server/utils/db'
import { isTransientDbError } from '#layers/discubot/server/utils/db-retry'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

const writes = (db: Db) => ({
  transaction: () => db.transaction(async (tx) => {
    await tx.run(sql`INSERT INTO probe VALUES (1)`)
  }),
  batch: () => db.batch([db.run(sql`INSERT INTO probe VALUES (2)`), db.run(sql`INSERT INTO probe VALUES (3)`)]),
  statement: () => db.run(sql`INSERT INTO probe VALUES (4)`),
})

it('recovers every kind of write after the lock holder lets go', async () => {
  const db = configureDb({ url: t.url, busyTimeoutMs: 100 })
  await db.run(sql`CREATE TABLE probe (n integer)`)
  const holder = createClient({ url: t.url })
  const lock = await holder.transaction('write')
  await lock.execute('INSERT INTO probe VALUES (0)')

  for (const write of Object.values(writes(db))) await expect(write()).rejects.toSatisfy(isTransientDbError)
  await lock.rollback()
  holder.close()

  const outcomes: string[] = []
  for (let round = 0; round < 5; round++) {
    for (const [kind, write] of Object.entries(writes(db))) {
      outcomes.push(await write().then(() => 'ok', error => `${kind}: ${(error as Error).message}`))
    }
  }
  expect(outcomes.filter(outcome => outcome !== 'ok')).toEqual([])
})
