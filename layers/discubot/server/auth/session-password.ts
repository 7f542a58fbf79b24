// nuxt-auth-utils seals the session cookie with NUXT_SESSION_PASSWORD. A fresh install should
// sign in without extra setup, so an unset password is generated once and kept beside the
// database file: restarts (and other instances on the same disk) reuse it and sessions survive.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { ensureKeyFile, keyFileDir } from '../utils/key-file'

export const SESSION_PASSWORD_ENV = 'NUXT_SESSION_PASSWORD'
export const SESSION_PASSWORD_FILE = 'session-password'
/** iron-webcrypto (h3 sessions) refuses shorter passwords. */
export const MIN_SESSION_PASSWORD_LENGTH = 32

export interface SessionPasswordResult {
  source: 'env' | 'file' | 'generated'
  path?: string
}

/** Sets `env.NUXT_SESSION_PASSWORD` unless it is set; synchronous so a Nitro plugin finishes it before any request. */
export function ensureSessionPassword(env: NodeJS.ProcessEnv, databaseUrl?: string): SessionPasswordResult {
  if (env[SESSION_PASSWORD_ENV]) return { source: 'env' }
  const path = join(keyFileDir(databaseUrl), SESSION_PASSWORD_FILE)
  const { text, created } = ensureKeyFile(path, () => randomBytes(32).toString('base64url'))
  if (text.length < MIN_SESSION_PASSWORD_LENGTH) {
    throw new Error(`Discubot: ${path} holds no usable session password (at least ${MIN_SESSION_PASSWORD_LENGTH} characters); delete it or set ${SESSION_PASSWORD_ENV}`)
  }
  env[SESSION_PASSWORD_ENV] = text
  return { source: created ? 'generated' : 'file', path }
}
