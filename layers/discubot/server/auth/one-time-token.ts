// One-time links: the first admin's setup link, invites, password resets. Whoever holds the link
// may act once; only the token's hash is stored, so the database alone opens nothing.
import { createHash, randomBytes } from 'node:crypto'

export function newOneTimeToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A plain hash suffices: the token is 256 random bits, not a password to slow down. */
export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** `<base>/<page>?token=…`, the page people open (NUXT_PUBLIC_BASE_URL). */
export function oneTimeLink(publicBaseUrl: string, page: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/${page}?token=${encodeURIComponent(token)}`
}
