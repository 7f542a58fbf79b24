// Checkpoints off the event loop (utils/checkpointer.ts): what the app commits reaches the
// database file without any checkpoint of its own, and stopping ends the thread (and says so).
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type Client } from '@libsql/client'
import { startCheckpointer } from '#layers/discubot/server/utils/checkpointer'
import { closeDb, configureDb, startDbCheckpointer, stopDbCheckpointer, useDbClient, withOwnCheckpoints } from '#layers/discubot/server/utils/db'
import { waitFor } from '../support/server'
import { tempDir } from '../support/temp-db'

let client: Client | undefined
afterEach(() => client?.close())

describe('background checkpointer', () => {
  it('copies committed pages into the database file while the app only writes', async () => {
    const path = join(tempDir(), 'checkpoints.db')
    client = createClient({ url: `file:${path}` })
    await client.execute('PRAGMA journal_mode = WAL')
    await client.execute('CREATE TABLE t (v TEXT)')
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    const before = statSync(path).size
    // ~400 pages: far below SQLite's own threshold (1,000), so only the thread can move them.
    for (let i = 0; i < 10; i++) {
      await client.execute({ sql: 'INSERT INTO t SELECT ? || value FROM json_each(?)', args: ['x'.repeat(3000), JSON.stringify(Array.from({ length: 40 }, (_, j) => j))] })
    }
    expect(statSync(path).size).toBe(before)
    let gone = 0
    const checkpointer = startCheckpointer(path, { intervalMs: 50, onGone: () => gone++ })
    try {
      await waitFor(() => statSync(path).size > before * 50, { timeoutMs: 5000, intervalMs: 50, message: 'the database file holding the committed rows' })
      // Nothing waits on the thread: the app goes on writing while it checkpoints.
      await client.execute({ sql: 'INSERT INTO t VALUES (?)', args: ['after'] })
    }
    finally {
      await checkpointer.stop()
    }
    // The app's connections checkpoint on their own again once the thread is gone.
    expect(gone).toBe(1)
    const [row] = (await client.execute('SELECT count(*) AS n FROM t')).rows
    expect(Number(row!.n)).toBe(401)
  })

  it('stands down while a bulk writer checkpoints itself, and takes over again after', async () => {
    const path = join(tempDir(), 'own-checkpoints.db')
    configureDb({ url: `file:${path}` })
    const app = useDbClient()
    await app.execute('PRAGMA journal_mode = WAL')
    await app.execute('CREATE TABLE t (v TEXT)')
    await app.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    const rows = () => app.execute({ sql: 'INSERT INTO t SELECT ? || value FROM json_each(?)', args: ['x'.repeat(3000), JSON.stringify(Array.from({ length: 100 }, (_, j) => j))] })
    startDbCheckpointer()
    try {
      await withOwnCheckpoints(async (checkpoint) => {
        const before = statSync(path).size
        await rows()
        // The thread would have checkpointed an idle WAL within ~100 ms; it stands down.
        await new Promise(resolve => setTimeout(resolve, 400))
        expect(statSync(path).size).toBe(before)
        await checkpoint()
        expect(statSync(path).size).toBeGreaterThan(before)
      })
      const before = statSync(path).size
      await rows()
      await waitFor(() => statSync(path).size > before, { timeoutMs: 5000, intervalMs: 50, message: 'the thread checkpointing again' })
    }
    finally {
      await stopDbCheckpointer()
      closeDb()
    }
  })
})
