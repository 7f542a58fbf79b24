// The browser-facing hardening of the built server: the session cookie's attributes, the security
// headers on pages, APIs and error answers, and the same-origin rule for state-changing requests
// (CSRF), checked on every state-changing route under server/api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type ServerHandle } from '../support/server'
import { signInWhenReady, type AdminClient } from '../support/admin-client'
import { watchRows, type RowWatcher } from '../support/row-snapshot'
import { listApiRoutes, routePath } from '../support/api-routes'

const ADMIN = { email: 'headers-admin@example.com', password: 'headers-admin-password' }
const STATE_CHANGING = listApiRoutes().filter(route => route.method !== 'GET' && !route.pattern.startsWith('/api/webhooks/'))

let server: ServerHandle
let admin: AdminClient
let rows: RowWatcher

beforeAll(async () => {
  server = await startServer({ env: { NUXT_ADMIN_EMAIL: ADMIN.email, NUXT_ADMIN_PASSWORD: ADMIN.password, NUXT_WORKER_CONCURRENCY: '0' } })
  admin = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  rows = watchRows(server.dbPath)
})

afterAll(async () => {
  rows?.close()
  await server?.stop()
})

function send(path: string, init: { method?: string, headers?: Record<string, string>, body?: unknown, cookie?: boolean } = {}) {
  return fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.cookie === false ? {} : { cookie: admin.cookie }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: 'manual',
  })
}

/** Attributes of the session cookie a sign-in sets, lower-cased: `{ httponly: '', samesite: 'lax', … }`. */
async function sessionCookieOf(headers: Record<string, string>) {
  const response = await send('/api/auth/login', { method: 'POST', body: ADMIN, headers, cookie: false })
  expect(response.status).toBe(200)
  const cookie = response.headers.getSetCookie().find(c => c.startsWith('nuxt-session='))
  expect(cookie).toBeDefined()
  return Object.fromEntries(cookie!.split(';').slice(1).map((part) => {
    const [name, ...value] = part.trim().split('=')
    return [name!.toLowerCase(), value.join('=').toLowerCase()]
  }))
}

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax or Strict, and Secure over https (behind a TLS-terminating proxy)', async () => {
    const attributes = await sessionCookieOf({ 'x-forwarded-proto': 'https' })
    expect(attributes).toHaveProperty('httponly')
    expect(attributes).toHaveProperty('secure')
    expect(['lax', 'strict']).toContain(attributes.samesite)
    expect(attributes.path).toBe('/')
  })

  it('is HttpOnly and SameSite on plain http too', async () => {
    const attributes = await sessionCookieOf({})
    expect(attributes).toHaveProperty('httponly')
    expect(['lax', 'strict']).toContain(attributes.samesite)
  })
})

describe('security headers', () => {
  const answers: [string, () => Promise<Response>][] = [
    ['the sign-in page', () => send('/login', { cookie: false })],
    ['a page redirecting to sign-in', () => send('/jobs', { cookie: false })],
    ['a signed-in page', () => send('/jobs')],
    ['an unknown page', () => send('/no-such-page')],
    ['an API answer', () => send('/api/jobs')],
    ['an API 401', () => send('/api/jobs', { cookie: false })],
    ['an unknown API', () => send('/api/no-such-route')],
    ['a validation error', () => send('/api/jobs?status=bogus')],
    ['a 413', () => send('/api/settings', { method: 'POST', body: { jobRetentionDays: 'x'.repeat(1_100_000) } })],
    ['liveness', () => send('/api/ping', { cookie: false })],
    ['readiness', () => send('/api/health', { cookie: false })],
    ['a webhook refusal', () => send('/api/webhooks/slack', { method: 'POST', body: {}, cookie: false })],
  ]

  it.each(answers)('%s carries nosniff, DENY framing, a referrer policy and CSP frame-ancestors', async (_what, request) => {
    const response = await request()
    await response.arrayBuffer()
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('referrer-policy')).toMatch(/^(same-origin|no-referrer|strict-origin(-when-cross-origin)?)$/)
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors '(none|self)'/)
  })

  it('adds HSTS only when the request arrived over https', async () => {
    expect((await send('/api/ping', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/)
    expect((await send('/api/ping')).headers.get('strict-transport-security')).toBeNull()
  })
})

describe('CSRF: state-changing requests from another origin', () => {
  /** Another site, an opaque origin (sandboxed frame, file:), the same host on another port, a look-alike host. */
  const foreign = () => ['https://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `http://127.0.0.1.evil.example:${server.port}`]

  it.each(STATE_CHANGING.map(route => [route.key, route] as const))('%s answers 403 to a foreign Origin and writes nothing', async (_key, route) => {
    const before = await rows.snapshot()
    for (const origin of foreign()) {
      const response = await send(routePath(route, Object.fromEntries(route.params.map(param => [param, 'any-id']))), { method: route.method, body: {}, headers: { origin } })
      expect(response.status, `${route.key} from ${origin}`).toBe(403)
      expect((await response.json()).message).toMatch(/cross-origin/i)
    }
    expect(await rows.snapshot()).toEqual(before)
  })

  it('refuses a foreign sign-out through nuxt-auth-utils\' own route', async () => {
    const response = await send('/api/_auth/session', { method: 'DELETE', headers: { origin: 'https://evil.example' } })
    expect(response.status).toBe(403)
    expect(response.headers.getSetCookie()).toEqual([])
  })

  it('lets the same origin (and clients that send no Origin) through', async () => {
    const sameOrigin = await send('/api/settings', { method: 'POST', body: { jobRetentionDays: 30 }, headers: { origin: server.url } })
    expect(sameOrigin.status).toBe(200)
    const noOrigin = await send('/api/settings', { method: 'POST', body: { jobRetentionDays: 31 } })
    expect(noOrigin.status).toBe(200)
    expect(await noOrigin.json()).toMatchObject({ jobRetentionDays: 31 })
  })

  it('does not apply to webhooks, which are cross-site by nature and authenticate themselves', async () => {
    const response = await send('/api/webhooks/slack', { method: 'POST', body: { type: 'url_verification', challenge: 'x' }, headers: { origin: 'https://hooks.slack.com' }, cookie: false })
    expect(response.status).toBe(401)
  })
})
