// A real libSQL database in a temp file, migrated, for integration tests. Never a mock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closeDb, configureDb, ensureMigrated, type Db } from '#layers/discubot/server/utils/db'

export interface TempDb {
  db: Db
  url: string
  path: string
  cleanup(): void
}

export async function createTempDb(): Promise<TempDb> {
  const dir = mkdtempSync(join(tmpdir(), 'discubot-test-'))
  const path = join(dir, 'test.db')
  const url = `file:${path}`
  const db = configureDb({ url })
  await ensureMigrated()
  return {
    db,
    url,
    path,
    cleanup() {
      closeDb()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function tempDir(prefix = 'discubot-test-') {
  return mkdtempSync(join(tmpdir(), prefix))
}
