// Secrets at rest: AES-256-GCM with a key derived (HKDF) from NUXT_SECRETS_KEY, or else from the
// session password, so a database file alone never reveals a token.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'

function secretsKey(): Buffer {
  const material = process.env.NUXT_SECRETS_KEY || process.env.NUXT_SESSION_PASSWORD
  if (!material || material.length < 32) {
    throw new Error('Discubot: NUXT_SECRETS_KEY (or NUXT_SESSION_PASSWORD) of at least 32 characters is required to store secrets')
  }
  return Buffer.from(hkdfSync('sha256', material, 'discubot', 'discubot-config-secrets', 32))
}

export function encryptJson(value: unknown): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', secretsKey(), iv)
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':')
}

export function decryptJson<T>(payload: string): T {
  const [version, iv, tag, ciphertext] = payload.split(':')
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('Discubot: unreadable secret payload')
  const decipher = createDecipheriv('aes-256-gcm', secretsKey(), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()])
  return JSON.parse(plain.toString('utf8')) as T
}
