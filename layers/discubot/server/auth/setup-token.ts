// The one-time link that lets the first admin choose an email and password when the server
// started without NUXT_ADMIN_EMAIL/NUXT_ADMIN_PASSWORD. Only the token's hash is stored.
import { createHash, randomBytes } from 'node:crypto'

export function newSetupToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A plain hash suffices: the token is 256 random bits, not a password to slow down. */
export function hashSetupToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function setupLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/setup?token=${encodeURIComponent(token)}`
}
