// The local file client keeps each connection's prepared statements (utils/local-client.ts). A
// kept statement must behave like a fresh one after whatever its last run ended with: a
// constraint error, SQLITE_BUSY, a batch rolled back.
import { statSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, type Client } from '@libsql/client'
import { createLocalClient, localPathOf, setAutoCheckpointPages } from '#layers/discubot/server/utils/local-client'
import { tempDir } from '../support/temp-db'

let dir: string
let local: Client
let other: Client
beforeEach(async () => {
  dir = tempDir('discubot-local-client-')
  local = createLocalClient(`${dir}/db.sqlite`, { timeout: 20, concurrency: 2 })
  other = createClient({ url: `file:${dir}/db.sqlite`, timeout: 20 })
  await local.execute('PRAGMA journal_mode = WAL')
  await local.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)')
})
afterEach(() => {
  local.close()
  other.close()
})

const insert = (v: string) => ({ sql: 'INSERT INTO t (v) VALUES (?)', args: [v] })
const values = async () => (await local.execute('SELECT v FROM t ORDER BY id')).rows.map(row => row.v)

describe('local client with kept statements', () => {
  it('reads its own writes through the same statements, again and again', async () => {
    for (const v of ['a', 'b', 'c']) await local.execute(insert(v))
    expect(await values()).toEqual(['a', 'b', 'c'])
    expect(await values()).toEqual(['a', 'b', 'c'])
    const [row] = (await local.execute({ sql: 'SELECT id, v FROM t WHERE v = ?', args: ['b'] })).rows
    expect(row).toMatchObject({ id: 2, v: 'b' })
  })

  it('a statement that failed (constraint, busy) works on its next run, and a failed batch leaves nothing', async () => {
    await local.execute(insert('a'))
    await expect(local.execute(insert('a'))).rejects.toThrow(/UNIQUE/)
    await local.execute(insert('b'))

    const holder = await other.transaction('write')
    await holder.execute(insert('held'))
    await expect(local.batch([insert('c'), insert('d')])).rejects.toThrow(/SQLITE_BUSY|locked/i)
    await holder.commit()
    await local.batch([insert('c'), insert('d')])

    await expect(local.batch([insert('e'), insert('a')])).rejects.toThrow(/UNIQUE/)
    await local.batch([insert('e')])
    expect(await values()).toEqual(['a', 'b', 'held', 'c', 'd', 'e'])
  })

  // A statement libsql leaves unfinished keeps its connection's snapshot (EXPLAIN does, until it is
  // garbage-collected; it is never kept). Each kind of statement the app sends must leave none.
  it('leaves no read snapshot behind, whatever statement the app sends: another connection checkpoints the whole WAL', async () => {
    for (let i = 0; i < 50; i++) await local.execute(insert(`v${i}`))
    const kinds = [
      { sql: 'SELECT v FROM t WHERE id > ? ORDER BY id LIMIT 1', args: [3] },
      { sql: 'SELECT v FROM t ORDER BY random() LIMIT 2', args: [] },
      { sql: 'SELECT coalesce(sum(id), 0) FROM t NOT INDEXED WHERE v = ?', args: ['v1'] },
      { sql: 'WITH x AS (SELECT id FROM t WHERE id < ?) SELECT count(*) FROM x', args: [10] },
      { sql: 'SELECT value FROM json_each(?)', args: ['[1,2,3]'] },
      { sql: 'INSERT INTO t (v) VALUES (? || random()) RETURNING id', args: ['returned'] },
      { sql: 'UPDATE t SET v = v || ? WHERE id = ? RETURNING v', args: ['!', 1] },
      { sql: 'DELETE FROM t WHERE v LIKE ? RETURNING id', args: ['returned%'] },
      { sql: 'PRAGMA table_info(t)', args: [] },
    ]
    for (const statement of kinds) {
      // Twice: the second run is the kept statement's.
      for (let run = 0; run < 2; run++) {
        await local.execute(statement)
        await values()
      }
      await other.execute(insert(`after ${statement.sql}`))
      const [row] = (await other.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows
      expect({ sql: statement.sql, ...row }).toMatchObject({ sql: statement.sql, busy: 0, log: 0 })
    }
    await expect(local.execute('SELECT nope FROM t')).rejects.toThrow()
    await values()
    await other.execute(insert('after an error'))
    const [row] = (await other.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows
    expect(row).toMatchObject({ busy: 0, log: 0 })
  })

  it('checkpoints in its own commits at SQLite\'s 1,000 pages, or only past the pages it is given while a checkpointer runs', async () => {
    const path = `${dir}/db.sqlite`
    const bigRows = () => local.execute({ sql: 'INSERT INTO t (v) SELECT ? || value FROM json_each(?)', args: [`${'x'.repeat(3000)}${Math.random()}`, JSON.stringify(Array.from({ length: 1500 }, (_, j) => j))] })
    await other.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    setAutoCheckpointPages(local, 10_000)
    let before = statSync(path).size
    await bigRows()
    expect(statSync(path).size).toBe(before)

    setAutoCheckpointPages(local, undefined)
    await other.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    before = statSync(path).size
    await bigRows()
    expect(statSync(path).size).toBeGreaterThan(before)
  })

  it('names the file of a file: URL, and leaves other URLs to @libsql/client', () => {
    expect(localPathOf('file:.data/discubot.db')).toBe('.data/discubot.db')
    expect(localPathOf('file:/tmp/a%20b.db')).toBe('/tmp/a b.db')
    expect(localPathOf('file:///tmp/x.db')).toBe('/tmp/x.db')
    expect(localPathOf('file::memory:')).toBeUndefined()
    expect(localPathOf('file:x.db?mode=ro')).toBeUndefined()
    expect(localPathOf('libsql://example.turso.io')).toBeUndefined()
  })
})
