// Write health as /api/health reports it (utils/db-health.ts): writes the instance makes anyway
// say whether writing works; after a failure an idle instance probes with a write that changes
// nothing, so it finds out that the outage ended without any traffic.
import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { closeDb, configureDb } from '#layers/discubot/server/utils/db'
import { dbWriteHealth, noteDbWrite, probeDbWrite } from '#layers/discubot/server/utils/db-health'
import { tempDir } from '../support/temp-db'

afterEach(() => {
  closeDb()
  noteDbWrite({ ok: true })
})

describe('database write health', () => {
  it('stays unwritable while another writer holds the lock, and recovers on the first probe after', async () => {
    const url = `file:${join(tempDir(), 'health.db')}`
    configureDb({ url, busyTimeoutMs: 50 })
    await probeDbWrite()
    expect(dbWriteHealth()).toEqual({ writable: true })

    const holder = createClient({ url })
    await holder.execute('PRAGMA journal_mode = WAL')
    await holder.execute('CREATE TABLE IF NOT EXISTS held (v)')
    const lock = await holder.transaction('write')
    await lock.execute('INSERT INTO held VALUES (1)')
    try {
      await probeDbWrite()
      expect(dbWriteHealth()).toMatchObject({ writable: false, lastError: expect.stringMatching(/locked|BUSY/i) })
      await probeDbWrite()
      expect(dbWriteHealth().writable).toBe(false)
    }
    finally {
      await lock.rollback()
      holder.close()
    }
    // The pool is reopened after a busy failure (db.ts): the next probes, one poll apart, find it writable.
    await expect.poll(async () => {
      await probeDbWrite()
      return dbWriteHealth()
    }, { timeout: 2000, interval: 50 }).toEqual({ writable: true })
  })

  it('a probe changes nothing in the file', async () => {
    const url = `file:${join(tempDir(), 'probe.db')}`
    configureDb({ url })
    const reader = createClient({ url })
    await reader.execute('PRAGMA journal_mode = WAL')
    const before = (await reader.execute('PRAGMA data_version')).rows[0]
    await probeDbWrite()
    const after = (await reader.execute('PRAGMA data_version')).rows[0]
    expect(after).toEqual(before)
    reader.close()
  })
})
