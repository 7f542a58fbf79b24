// The local file client keeps each connection's prepared statements (utils/local-client.ts). A
// kept statement must behave like a fresh one after whatever its last run ended with: a
// constraint error, SQLITE_BUSY, a batch rolled back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, type Client } from '@libsql/client'
import { createLocalClient, localPathOf } from '#layers/discubot/server/utils/local-client'
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

  it('keeps no read snapshot: after many reads another connection checkpoints the whole WAL', async () => {
    for (let i = 0; i < 50; i++) await local.execute(insert(`v${i}`))
    for (let i = 0; i < 20; i++) {
      await values()
      await local.execute({ sql: 'SELECT id FROM t WHERE v = ?', args: [`v${i}`] })
      await expect(local.execute('SELECT nope FROM t')).rejects.toThrow()
    }
    const [row] = (await other.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows
    expect(row).toMatchObject({ busy: 0, log: 0, checkpointed: 0 })
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
