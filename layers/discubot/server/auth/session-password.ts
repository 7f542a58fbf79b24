// nuxt-auth-utils seals the session cookie with NUXT_SESSION_PASSWORD. A fresh install should
// sign in without extra setup, so an unset password is generated once and kept beside the
// database file: restarts (and other instances on the same disk) reuse it and sessions survive.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { DEFAULT_DATABASE_URL, isFileUrl } from '../utils/db'

export const SESSION_PASSWORD_ENV = 'NUXT_SESSION_PASSWORD'
export const SESSION_PASSWORD_FILE = 'session-password'
/** iron-webcrypto (h3 sessions) refuses shorter passwords. */
export const MIN_SESSION_PASSWORD_LENGTH = 32

export interface SessionPasswordResult {
  source: 'env' | 'file' | 'generated'
  path?: string
}

/** The directory of the SQLite file, or `.data` when the database is a server or in memory. */
export function sessionPasswordDir(databaseUrl: string = DEFAULT_DATABASE_URL): string {
  const path = databaseUrl.replace(/^file:/, '').split('?')[0]!
  if (isFileUrl(databaseUrl) && path && path !== ':memory:') return dirname(resolve(path))
  return resolve('.data')
}

function readPassword(path: string): string | undefined {
  try {
    const value = readFileSync(path, 'utf8').trim()
    return value.length >= MIN_SESSION_PASSWORD_LENGTH ? value : undefined
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Sets `env.NUXT_SESSION_PASSWORD` unless it is set; synchronous so a Nitro plugin finishes it before any request. */
export function ensureSessionPassword(env: NodeJS.ProcessEnv, databaseUrl?: string): SessionPasswordResult {
  if (env[SESSION_PASSWORD_ENV]) return { source: 'env' }
  const path = join(sessionPasswordDir(databaseUrl), SESSION_PASSWORD_FILE)
  const existing = readPassword(path)
  if (existing) {
    env[SESSION_PASSWORD_ENV] = existing
    return { source: 'file', path }
  }
  mkdirSync(dirname(path), { recursive: true })
  const generated = randomBytes(32).toString('base64url')
  try {
    // `wx`: two instances booting together on one disk must end up with the same password.
    writeFileSync(path, `${generated}\n`, { mode: 0o600, flag: 'wx' })
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const raced = readPassword(path)
    if (!raced) throw new Error(`Discubot: ${path} exists but holds no usable session password; delete it or set ${SESSION_PASSWORD_ENV}`, { cause: error })
    env[SESSION_PASSWORD_ENV] = raced
    return { source: 'file', path }
  }
  env[SESSION_PASSWORD_ENV] = generated
  return { source: 'generated', path }
}
