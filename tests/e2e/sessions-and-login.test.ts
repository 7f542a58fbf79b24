// Sessions that end and sign-in limits that neither lock the owner out nor let a guesser through,
// against the built server (security audit, issue 20 items 4 and 5). Two servers: one reached
// directly, with the default week-long sessions; one behind a trusted proxy (127.0.0.1, the test
// itself, sending X-Forwarded-For), with 2-second sessions and one password check at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { callApi, signIn, signInWhenReady, type ApiAnswer } from '../support/admin-client'
import { queryDbFile } from '../support/db-file'
import { openSessionCookie, sealSessionCookie, sessionSetCookie, SESSION_COOKIE, type SealedSession } from '../support/session-cookie'

const ADMIN = { email: 'sessions-admin@example.com', password: 'sessions-admin-password' }
const DAY_MS = 24 * 60 * 60_000
const WEEK_SECONDS = 7 * 24 * 60 * 60
const SHORT_LIFETIME_SECONDS = 2
const ADDRESS_MAX_TRIES = 20
const ENDED = 'Your session has ended; sign in again'

let direct: ServerHandle
let proxied: ServerHandle

beforeAll(async () => {
  const admin = { NUXT_ADMIN_EMAIL: ADMIN.email, NUXT_ADMIN_PASSWORD: ADMIN.password, NUXT_WORKER_CONCURRENCY: '0' }
  ;[direct, proxied] = await Promise.all([
    startServer({ env: admin }),
    startServer({
      env: {
        ...admin,
        NUXT_TRUSTED_PROXIES: '127.0.0.1',
        NUXT_SESSION_MAX_AGE_SECONDS: String(SHORT_LIFETIME_SECONDS),
        NUXT_PASSWORD_CHECK_CONCURRENCY: '1',
        DISCUBOT_TEST_TRACE_PASSWORD_CHECKS: '1',
      },
    }),
  ])
  await Promise.all([signInWhenReady(direct, ADMIN.email, ADMIN.password), signInWhenReady(proxied, ADMIN.email, ADMIN.password)])
})

afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()])
})

function login(server: ServerHandle, email: string, password: string, forwardedFor?: string) {
  return callApi(server, '/api/auth/login', { method: 'POST', body: { email, password }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} })
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function retryAfterSeconds(answer: ApiAnswer) {
  return Number(answer.headers.get('retry-after'))
}

/** The session cookie the answer set, as a Cookie header. */
function cookieSetBy(answer: ApiAnswer): string {
  const cookie = sessionSetCookie(answer.headers)
  expect(cookie?.value).toBeTruthy()
  return `${SESSION_COOKIE}=${encodeURIComponent(cookie!.value)}`
}

function aged(session: SealedSession, renewedAt: number): SealedSession {
  return { ...session, data: { ...session.data, secure: { ...session.data.secure, renewedAt } } }
}

/** Tries the address has used, read from the server's database. */
async function addressTries(server: ServerHandle, address: string) {
  const [row] = await queryDbFile(server.dbPath, `SELECT tries FROM discubot_login_attempts WHERE scope = 'address' AND key = ?`, [address])
  return Number(row?.tries ?? 0)
}

async function expectEnded(server: ServerHandle, cookie: string) {
  const jobs = await callApi(server, '/api/jobs', { cookie })
  expect(jobs.status).toBe(401)
  expect(jobs.body.message).toBe(ENDED)
  // The answer also drops the dead cookie.
  expect(sessionSetCookie(jobs.headers)?.value).toBe('')
  // useUserSession() shows no one signed in either.
  const session = await callApi(server, '/api/_auth/session', { cookie })
  expect(session.status).toBe(401)
  expect(session.body.user).toBeUndefined()
}

describe('sessions', () => {
  it('signing out ends every session of the user, and an ended cookie cannot sign them out again', async () => {
    const laptop = await signIn(direct, ADMIN.email, ADMIN.password)
    const phone = await signIn(direct, ADMIN.email, ADMIN.password)
    for (const client of [laptop, phone]) {
      expect((await client.call('/api/jobs')).status).toBe(200)
      expect((await client.call('/api/_auth/session')).body.user).toMatchObject({ email: ADMIN.email })
    }

    const out = await laptop.call('/api/auth/logout', { method: 'POST' })
    expect(out.status).toBe(200)
    expect(sessionSetCookie(out.headers)?.value).toBe('')
    for (const client of [laptop, phone]) await expectEnded(direct, client.cookie)

    const again = await signIn(direct, ADMIN.email, ADMIN.password)
    expect((await again.call('/api/jobs')).status).toBe(200)
    // Whoever holds a copy of an ended cookie cannot use it to end the new session.
    expect((await phone.call('/api/auth/logout', { method: 'POST' })).status).toBe(200)
    expect((await again.call('/api/jobs')).status).toBe(200)
    await expectEnded(direct, phone.cookie)
  })

  it('renews a session in use for another full lifetime, and leaves a fresh one alone', async () => {
    const client = await signIn(direct, ADMIN.email, ADMIN.password)
    const session = await openSessionCookie(client.cookie)
    expect(session.data.secure?.renewedAt).toBeGreaterThan(Date.now() - 60_000)
    expect(sessionSetCookie((await client.call('/api/jobs')).headers)).toBeUndefined()

    const twoDaysOld = await sealSessionCookie(aged(session, Date.now() - 2 * DAY_MS), 5 * DAY_MS)
    const answer = await callApi(direct, '/api/jobs', { cookie: twoDaysOld })
    expect(answer.status).toBe(200)
    const renewed = sessionSetCookie(answer.headers)
    expect(renewed?.attributes['max-age']).toBe(String(WEEK_SECONDS))
    const reopened = await openSessionCookie(cookieSetBy(answer))
    expect(reopened.data.user).toEqual(session.data.user)
    expect(reopened.data.secure?.renewedAt).toBeGreaterThan(Date.now() - 60_000)
    expect((await callApi(direct, '/api/jobs', { cookie: cookieSetBy(answer) })).status).toBe(200)
  })

  it('ends a session unused for its lifetime, even one replayed after the browser dropped it', async () => {
    const client = await signIn(direct, ADMIN.email, ADMIN.password)
    const session = await openSessionCookie(client.cookie)
    // Sealed with no expiry of its own: only the server's check of the session's age can end it.
    await expectEnded(direct, await sealSessionCookie(aged(session, Date.now() - 7 * DAY_MS - 60_000)))
    // The same session six days old still works: it is the age that ended it.
    expect((await callApi(direct, '/api/jobs', { cookie: await sealSessionCookie(aged(session, Date.now() - 6 * DAY_MS)) })).status).toBe(200)
    // A cookie sealed before sessions had versions ends too.
    const { secure: _secure, ...unversioned } = session.data
    await expectEnded(direct, await sealSessionCookie({ ...session, data: unversioned }))
  })

  it('takes its lifetime from NUXT_SESSION_MAX_AGE_SECONDS', async () => {
    const answer = await login(proxied, ADMIN.email, ADMIN.password, '198.51.100.1')
    expect(answer.status).toBe(200)
    expect(sessionSetCookie(answer.headers)?.attributes['max-age']).toBe(String(SHORT_LIFETIME_SECONDS))
    const cookie = cookieSetBy(answer)
    await sleep(SHORT_LIFETIME_SECONDS * 1000 + 1000)
    await expectEnded(proxied, cookie)
  })
})

describe('sign-in limits behind a trusted proxy', () => {
  it('blocks a guesser\'s address while the owner signs in from another address behind the same proxy', async () => {
    const guesser = '198.51.100.66'
    for (let i = 0; i < ADDRESS_MAX_TRIES; i++) {
      expect((await login(proxied, `guess-${i}@example.com`, 'guess', guesser)).status).toBe(401)
    }
    const blocked = await login(proxied, 'guess-next@example.com', 'guess', guesser)
    expect(blocked.status).toBe(429)
    expect(retryAfterSeconds(blocked)).toBeGreaterThan(0)
    expect(retryAfterSeconds(blocked)).toBeLessThanOrEqual(15 * 60)
    expect(blocked.body.message).toMatch(/^Too many failed sign-ins from your network\. Try again in \d+ minutes\.$/)
    // What the guesser writes left of the proxy's own hop is not believed.
    expect((await login(proxied, 'guess-next@example.com', 'guess', `203.0.113.9, ${guesser}`)).status).toBe(429)

    expect((await login(proxied, ADMIN.email, ADMIN.password, '198.51.100.1')).status).toBe(200)
  })

  it('a guesser of the owner\'s account slows the owner down by at most a minute, never locks them out', async () => {
    // Guess from ever new addresses until the account's wait is long enough to be seen from here.
    let wait: ApiAnswer | undefined
    for (let i = 0; !wait || retryAfterSeconds(wait) < 3; i++) {
      if (wait) await sleep(retryAfterSeconds(wait) * 1000)
      const answer = await login(proxied, ADMIN.email, `guess-${i}`, `192.0.2.${i + 1}`)
      expect([401, 429]).toContain(answer.status)
      if (answer.status === 429) wait = answer
    }
    const owner = await login(proxied, ADMIN.email, ADMIN.password, '198.51.100.1')
    expect(owner.status).toBe(429)
    expect(owner.body.message).toMatch(/^Too many failed sign-ins for this account\. Try again in \d+ seconds?\.$/)
    expect(retryAfterSeconds(owner)).toBeGreaterThan(0)
    expect(retryAfterSeconds(owner)).toBeLessThanOrEqual(60)
    await sleep(retryAfterSeconds(owner) * 1000)
    expect((await login(proxied, ADMIN.email, ADMIN.password, '198.51.100.1')).status).toBe(200)
  })

  it('runs no more password checks at once than its cap; the overflow is turned away and the server stays healthy', async () => {
    const traced = () => [...proxied.logs().matchAll(/password checks running: (\d+)/g)].map(match => Number(match[1]))
    const before = traced().length
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      login(proxied, `crowd-${i}@example.com`, 'wrong password', `10.20.0.${i + 1}`)))
    const checked = answers.filter(answer => answer.status === 401)
    const overflow = answers.filter(answer => answer.status === 503)
    expect(checked.length + overflow.length).toBe(answers.length)
    expect(overflow.length).toBeGreaterThan(0)
    for (const answer of overflow) {
      expect(retryAfterSeconds(answer)).toBeGreaterThan(0)
      expect(answer.body.message).toBe('Too many sign-ins at once. Try again in a moment.')
    }
    // Every check that ran said how many ran with it: never more than one.
    await waitFor(() => traced().length - before >= checked.length, { message: 'the password check traces' })
    const running = traced().slice(before)
    expect(running).toHaveLength(checked.length)
    expect(Math.max(...running)).toBe(1)

    expect((await callApi(proxied, '/api/health')).status).toBe(200)
    expect((await login(proxied, ADMIN.email, ADMIN.password, '198.51.100.1')).status).toBe(200)
  })
})

// Last: it leaves the test's own address blocked on the direct server.
describe('sign-in limits without a trusted proxy', () => {
  it('limits rotating e-mails from one address, and a forged X-Forwarded-For does not dodge it', async () => {
    const left = ADDRESS_MAX_TRIES - await addressTries(direct, '127.0.0.1')
    expect(left).toBeGreaterThan(10)
    const statuses: number[] = []
    for (let i = 0; i < left; i++) statuses.push((await login(direct, `rotating-${i}@example.com`, 'guess', `203.0.113.${i + 1}`)).status)
    expect(statuses).toEqual(Array(left).fill(401))
    const blocked = await login(direct, 'rotating-next@example.com', 'guess', '203.0.113.200')
    expect(blocked.status).toBe(429)
    expect(retryAfterSeconds(blocked)).toBeGreaterThan(0)
    expect(blocked.body.message).toMatch(/^Too many failed sign-ins from your network\./)
    // Without a trusted proxy, every client of this address is one client: the right password waits too.
    expect((await login(direct, ADMIN.email, ADMIN.password)).status).toBe(429)
  })
})
