// Opening the database: a path that cannot be opened must neither hang nor throw at configure
// time (the server boots and answers 503), and the database is picked up once it can be opened.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDb, configureDb, ensureMigrated, useDb, useDbClient } from '#layers/discubot/server/utils/db'
import { getDiscubotQueueStats } from '#layers/discubot/collections/jobs/server/database/queries'

const dirs: string[] = []
afterEach(() => {
  closeDb()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'discubot-open-'))
  dirs.push(dir)
  return dir
}

describe('opening the database', () => {
  it('creates missing folders of a file URL', async () => {
    const path = join(scratch(), 'a', 'b', 'c', 'discubot.db')
    configureDb({ url: `file:${path}` })
    await ensureMigrated()
    expect(await getDiscubotQueueStats()).toEqual({ pending: 0, processing: 0, oldestPendingAgeMs: null })
  })

  it('creates the folders 0700 and the database file 0600, and SQLite gives its WAL files the same mode', async () => {
    const root = scratch()
    const path = join(root, 'data', 'nested', 'discubot.db')
    configureDb({ url: `file:${path}` })
    await ensureMigrated()
    const mode = (file: string) => statSync(file).mode & 0o777
    expect(mode(join(root, 'data'))).toBe(0o700)
    expect(mode(join(root, 'data', 'nested'))).toBe(0o700)
    expect(mode(path)).toBe(0o600)
    expect(existsSync(`${path}-wal`)).toBe(true)
    expect(mode(`${path}-wal`)).toBe(0o600)
    expect(mode(`${path}-shm`)).toBe(0o600)
  })

  it('leaves the mode of a folder and a database file that already exist as they are', async () => {
    const dir = join(scratch(), 'shared')
    mkdirSync(dir)
    chmodSync(dir, 0o750)
    const path = join(dir, 'discubot.db')
    writeFileSync(path, '')
    chmodSync(path, 0o640)
    configureDb({ url: `file:${path}` })
    await ensureMigrated()
    expect(statSync(dir).mode & 0o777).toBe(0o750)
    expect(statSync(path).mode & 0o777).toBe(0o640)
  })

  it('an unusable path (under /proc) fails every use instead of hanging or throwing at configure time', async () => {
    expect(() => configureDb({ url: 'file:/proc/nonexistent/x.db' })).not.toThrow()
    expect(() => useDb()).toThrow(/ENOENT|unable to open/)
    await expect(ensureMigrated()).rejects.toThrow(/ENOENT|unable to open/)
    await expect(getDiscubotQueueStats()).rejects.toThrow(/ENOENT|unable to open/)
  })

  it('keeps trying, and uses the database as soon as it can be opened', async () => {
    const dir = scratch()
    // A file where the folder should be: the open fails until it is removed.
    writeFileSync(join(dir, 'data'), 'not a folder')
    const db = configureDb({ url: `file:${join(dir, 'data', 'discubot.db')}` })
    await expect(db.run('SELECT 1')).rejects.toThrow()
    await expect(ensureMigrated()).rejects.toThrow()

    rmSync(join(dir, 'data'))
    await ensureMigrated()
    expect(await getDiscubotQueueStats()).toMatchObject({ pending: 0 })
    const tables = await useDbClient().execute(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'discubot_jobs'`)
    expect(Number(tables.rows[0]!.n)).toBe(1)
  })
})
