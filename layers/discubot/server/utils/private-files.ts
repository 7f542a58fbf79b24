// The data folder holds the database (every config's ciphertext, sessions' users) and the keys
// beside it: nobody but the owner may read them, whatever the umask. Only what Discubot creates
// gets these modes; an operator's existing folder or file is left as they set it.
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'

export const PRIVATE_DIRECTORY_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/**
 * Creates a folder (0700) one level at a time: `mkdirSync(dir, { recursive: true })` never returns
 * for some unusable paths (Node loops on ENOENT under /proc), which hung the boot.
 */
export function ensurePrivateDirectory(dir: string) {
  if (existsSync(dir)) return
  const parent = dirname(dir)
  if (parent !== dir) ensurePrivateDirectory(parent)
  try {
    mkdirSync(dir, { mode: PRIVATE_DIRECTORY_MODE })
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

/**
 * Creates an empty file (0600) unless it exists. SQLite would create the database file with the
 * umask's mode (usually 0644, world-readable); its -wal and -shm files copy the database file's
 * mode, so creating the file first is enough.
 */
export function ensurePrivateFile(path: string) {
  ensurePrivateDirectory(dirname(path))
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE))
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}
