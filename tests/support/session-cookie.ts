// Opens and seals the server's session cookie the way h3 does (iron-webcrypto with the test
// session password), so tests can age a real session or replay one the browser would have dropped.
import { defaults, seal, unseal } from 'iron-webcrypto'
import { TEST_SESSION_PASSWORD } from './server'

export const SESSION_COOKIE = 'nuxt-session'

/** What h3 seals: its own id and creation time around nuxt-auth-utils' data. */
export interface SealedSession {
  id: string
  createdAt: number
  data: Record<string, unknown> & { secure?: { sessionVersion?: number, renewedAt?: number } }
}

/** The session cookie among `Set-Cookie` headers, with its attributes lower-cased. */
export function sessionSetCookie(headers: Headers): { value: string, attributes: Record<string, string> } | undefined {
  const line = headers.getSetCookie().find(cookie => cookie.startsWith(`${SESSION_COOKIE}=`))
  if (!line) return undefined
  const [pair, ...parts] = line.split(';')
  const attributes = Object.fromEntries(parts.map((part) => {
    const [name, ...value] = part.trim().split('=')
    return [name!.toLowerCase(), value.join('=')]
  }))
  return { value: decodeURIComponent(pair!.slice(SESSION_COOKIE.length + 1)), attributes }
}

/** `nuxt-session=…` (as a Cookie header) → the session inside. */
export async function openSessionCookie(cookie: string): Promise<SealedSession> {
  const value = decodeURIComponent(cookie.split(';')[0]!.slice(SESSION_COOKIE.length + 1))
  return await unseal(globalThis.crypto, value, TEST_SESSION_PASSWORD, defaults) as SealedSession
}

/** A Cookie header carrying `session`, sealed with a TTL (ms) or none at all. */
export async function sealSessionCookie(session: SealedSession, ttlMs = 0): Promise<string> {
  const value = await seal(globalThis.crypto, session, TEST_SESSION_PASSWORD, { ...defaults, ttl: ttlMs })
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}`
}
