// Where the secrets keyring comes from: NUXT_SECRETS_KEY (comma-separated keys), else a key file
// generated once beside the database (one key per line). Never derived from the session
// password, so rotating that password (to end stolen sessions) leaves every stored secret
// readable. The first key seals; the others only open, which is how a key is rotated.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { dbOptionsFromEnv, isFileUrl } from './db'
import { ensureKeyFile, keyFileDir } from './key-file'
import { createKeyring, MIN_SECRETS_KEY_LENGTH, type SecretsKeyring } from './secrets'

export const SECRETS_KEY_ENV = 'NUXT_SECRETS_KEY'
export const SECRETS_KEY_FILE = 'secrets-key'

/** A keyring that cannot be set up: the server and `npm run secrets:rotate` print it and exit. */
export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(`Discubot: ${message}`)
    this.name = 'SecretsKeyError'
  }
}

export interface LoadedKeyring {
  keyring: SecretsKeyring
  source: 'env' | 'file' | 'generated'
  path?: string
}

function parseKeys(text: string, separator: RegExp, origin: string): string[] {
  const keys = text.split(separator).map(key => key.trim()).filter(Boolean)
  if (keys.length === 0) throw new SecretsKeyError(`${origin} holds no key`)
  if (keys.some(key => key.length < MIN_SECRETS_KEY_LENGTH)) throw new SecretsKeyError(`every key in ${origin} must be at least ${MIN_SECRETS_KEY_LENGTH} characters long`)
  return keys
}

/**
 * The keyring for this process, generating the key file on first run. Synchronous so a Nitro
 * plugin has it before the first request. The legacy keys (v1 payloads) are derived the old way
 * from NUXT_SECRETS_KEY or the session password, so an upgrade loses nothing.
 */
export function loadSecretsKeyring(env: NodeJS.ProcessEnv, databaseUrl: string): LoadedKeyring {
  const legacy = [env[SECRETS_KEY_ENV], env.NUXT_SESSION_PASSWORD]
  const fromEnv = env[SECRETS_KEY_ENV]?.trim()
  if (fromEnv) return { keyring: createKeyring(parseKeys(fromEnv, /,/, SECRETS_KEY_ENV), legacy), source: 'env' }
  if (!isFileUrl(databaseUrl)) {
    const scheme = databaseUrl.split(':')[0]
    throw new SecretsKeyError(`NUXT_DATABASE_URL is a database server (${scheme}://…) but ${SECRETS_KEY_ENV} is not set: set ${SECRETS_KEY_ENV} to the same key (at least ${MIN_SECRETS_KEY_LENGTH} characters, e.g. \`openssl rand -base64 32\`) on every instance, or each host would invent its own`)
  }
  const path = join(keyFileDir(databaseUrl), SECRETS_KEY_FILE)
  const { text, created } = ensureKeyFile(path, () => randomBytes(32).toString('base64url'))
  return { keyring: createKeyring(parseKeys(text, /\r?\n/, path), legacy), source: created ? 'generated' : 'file', path }
}

let configured: SecretsKeyring | undefined
let fromEnv: { fingerprint: string, keyring: SecretsKeyring } | undefined

/** The server plugin sets the keyring once at boot; tests set one to play a different instance, or undefined to go back. */
export function configureSecretsKeyring(keyring: SecretsKeyring | undefined) {
  configured = keyring
}

/**
 * The configured keyring, or the one the environment describes now: scripts, in-process tests, and a
 * server whose key file could not be read at boot (tried again on every call until it can).
 */
export function useSecretsKeyring(): SecretsKeyring {
  if (configured) return configured
  const url = dbOptionsFromEnv().url
  const fingerprint = JSON.stringify([process.env[SECRETS_KEY_ENV], process.env.NUXT_SESSION_PASSWORD, url])
  if (fromEnv?.fingerprint !== fingerprint) fromEnv = { fingerprint, keyring: loadSecretsKeyring(process.env, url).keyring }
  return fromEnv.keyring
}
