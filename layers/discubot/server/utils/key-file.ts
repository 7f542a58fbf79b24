// Keys Discubot generates for itself on first run (the session password, the secrets key) live
// beside the database file: restarts and other instances on the same disk find the same key.
import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { DEFAULT_DATABASE_URL, isFileUrl } from './db'
import { ensurePrivateDirectory, PRIVATE_FILE_MODE } from './private-files'

/** The directory of the SQLite file, or `.data` when the database is a server or in memory. */
export function keyFileDir(databaseUrl: string = DEFAULT_DATABASE_URL): string {
  const path = databaseUrl.replace(/^file:/, '').split('?')[0]!
  if (isFileUrl(databaseUrl) && path && path !== ':memory:') return dirname(resolve(path))
  return resolve('.data')
}

/** The file's trimmed text, or undefined when there is no file. */
export function readKeyFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim()
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

export interface KeyFile {
  text: string
  created: boolean
}

/**
 * The key file's text, generating it (0600) when there is none. The new file is written aside
 * and hard-linked into place, which fails if the name exists: two instances booting together
 * end up with the same key, and nobody ever reads a half-written file.
 */
export function ensureKeyFile(path: string, generate: () => string): KeyFile {
  const existing = readKeyFile(path)
  if (existing !== undefined) return { text: existing, created: false }
  ensurePrivateDirectory(dirname(path))
  const text = generate()
  const draft = `${path}.${randomBytes(6).toString('hex')}.tmp`
  writeFileSync(draft, `${text}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' })
  try {
    linkSync(draft, path)
    return { text, created: true }
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return { text: readKeyFile(path) ?? '', created: false }
  }
  finally {
    rmSync(draft, { force: true })
  }
}
