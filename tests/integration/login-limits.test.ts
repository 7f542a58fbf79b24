// Sign-in limits and session versions on a real database file: the counters live in the database,
// so two limiters (two instances) over one file count the same tries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, type Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { createTempDb, type TempDb } from '../support/temp-db'
import * as schema from '#layers/discubot/server/database/schema'
import { runWithDb, type Db } from '#layers/discubot/server/utils/db'
import { isLoginRefusal, LOGIN_LIMITS, LoginLimiter, type LoginKeys, type LoginRefusal } from '#layers/discubot/server/auth/login-limits'
import { getDiscubotLoginAttempts } from '#layers/discubot/collections/login-attempts/server/database/queries'
import { addDiscubotTeamMember, createDiscubotTeam, createDiscubotUser, endDiscubotUserSessions, getDiscubotSessionState } from '#layers/discubot/collections/teams/server/database/queries'

let t: TempDb
let other: Client
/** A second connection to the same file: what another instance sees. */
let otherDb: Db
let clock: number

beforeEach(async () => {
  t = await createTempDb()
  other = createClient({ url: t.url })
  otherDb = drizzle(other, { schema })
  clock = Date.parse('2026-03-01T12:00:00Z')
})

afterEach(() => {
  other.close()
  t.cleanup()
})

const now = () => clock
/** A limiter whose database work runs on `db`'s connection: one instance of the fleet. */
function limiterOn(db: Db, policy = LOGIN_LIMITS): Pick<LoginLimiter, 'refusal' | 'claim' | 'settle' | 'prune'> {
  const limiter = new LoginLimiter(policy, now)
  return {
    refusal: keys => runWithDb(db, () => limiter.refusal(keys)),
    claim: keys => runWithDb(db, () => limiter.claim(keys)),
    settle: (claim, succeeded) => runWithDb(db, () => limiter.settle(claim, succeeded)),
    prune: at => runWithDb(db, () => limiter.prune(at)),
  }
}

/** One try through the limiter as the sign-in route makes it: refused, or claimed and settled. */
async function attempt(limiter: ReturnType<typeof limiterOn>, keys: LoginKeys, succeeded = false): Promise<LoginRefusal | 'failed' | 'signed-in'> {
  const early = await limiter.refusal(keys)
  if (early) return early
  const claim = await limiter.claim(keys)
  if (isLoginRefusal(claim)) return claim
  await limiter.settle(claim, succeeded)
  return succeeded ? 'signed-in' : 'failed'
}

async function triesOf(scope: 'account' | 'address', key: string) {
  const [row] = await getDiscubotLoginAttempts([{ scope, key }])
  return row?.tries ?? 0
}

describe('account backoff', () => {
  const owner = { account: 'owner@example.com', address: '198.51.100.1' }

  it('makes the account wait after its free tries, whichever instance and address the tries come from', async () => {
    const a = limiterOn(t.db)
    const b = limiterOn(otherDb)
    for (let i = 0; i < LOGIN_LIMITS.accountFreeTries + 1; i++) {
      expect(await attempt(i % 2 ? a : b, { ...owner, address: `198.51.100.${10 + i}` })).toBe('failed')
    }
    // A fresh address and the other instance: still the same account's wait.
    expect(await attempt(b, { ...owner, address: '203.0.113.99' })).toEqual({ limit: 'account', retryAfterMs: 1000 })
    expect(await attempt(a, { ...owner, address: '203.0.113.98' }, true)).toEqual({ limit: 'account', retryAfterMs: 1000 })
    clock += 1000
    expect(await attempt(a, owner)).toBe('failed')
    expect(await attempt(b, owner)).toEqual({ limit: 'account', retryAfterMs: 2000 })
  })

  it('caps the wait at a minute, so the owner always gets a turn', async () => {
    const limiter = limiterOn(t.db)
    for (let i = 0; i < 30; i++) {
      const outcome = await attempt(limiter, { ...owner, address: `198.51.${i}.1` })
      if (typeof outcome === 'object') {
        expect(outcome.retryAfterMs).toBeLessThanOrEqual(60_000)
        clock += outcome.retryAfterMs
      }
    }
    expect(await limiter.refusal(owner)).toEqual({ limit: 'account', retryAfterMs: 60_000 })
    clock += 60_000
    expect(await attempt(limiter, owner, true)).toBe('signed-in')
  })

  it('forgets the failures once the right password is given', async () => {
    const limiter = limiterOn(t.db)
    for (let i = 0; i < 3; i++) await attempt(limiter, owner)
    expect(await triesOf('account', owner.account)).toBe(3)
    expect(await attempt(limiter, owner, true)).toBe('signed-in')
    expect(await triesOf('account', owner.account)).toBe(0)
    // The next typo is free again.
    for (let i = 0; i < LOGIN_LIMITS.accountFreeTries; i++) expect(await attempt(limiter, owner)).toBe('failed')
  })

  it('counts concurrent tries one by one: a burst gets no more than the free tries', async () => {
    const limiters = [limiterOn(t.db), limiterOn(otherDb)]
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => limiters[i % 2]!.claim({ ...owner, address: `192.0.2.${i}` })))
    expect(claims.filter(claim => !isLoginRefusal(claim))).toHaveLength(LOGIN_LIMITS.accountFreeTries + 1)
  })
})

describe('address limit', () => {
  const policy = { ...LOGIN_LIMITS, addressMaxTries: 5 }
  const address = '198.51.100.7'

  it('limits rotating e-mails from one address, on every instance', async () => {
    const a = limiterOn(t.db, policy)
    const b = limiterOn(otherDb, policy)
    for (let i = 0; i < 5; i++) expect(await attempt(i % 2 ? a : b, { account: `guess-${i}@example.com`, address })).toBe('failed')
    const refused = await attempt(b, { account: 'guess-5@example.com', address })
    expect(refused).toEqual({ limit: 'address', retryAfterMs: policy.addressWindowMs })
    // Not the owner elsewhere.
    expect(await attempt(a, { account: 'owner@example.com', address: '203.0.113.1' }, true)).toBe('signed-in')
    // A new window starts when the old one is over.
    clock += policy.addressWindowMs
    expect(await attempt(a, { account: 'guess-6@example.com', address })).toBe('failed')
    expect(await triesOf('address', address)).toBe(1)
  })

  it('counts failures only: a right password gives its try back', async () => {
    const limiter = limiterOn(t.db, policy)
    for (let i = 0; i < 10; i++) expect(await attempt(limiter, { account: `user-${i}@example.com`, address }, true)).toBe('signed-in')
    expect(await triesOf('address', address)).toBe(0)
  })

  it('gives the try back when the account refused it (no password was checked)', async () => {
    const limiter = limiterOn(t.db, policy)
    const keys = { account: 'owner@example.com', address }
    for (let i = 0; i < LOGIN_LIMITS.accountFreeTries + 1; i++) await attempt(limiter, keys)
    // Straight to the claim, as a try that raced past the first read would.
    expect(await limiter.claim(keys)).toMatchObject({ limit: 'account' })
    expect(await triesOf('address', address)).toBe(LOGIN_LIMITS.accountFreeTries + 1)
  })

  it('admits no more concurrent tries than the limit allows', async () => {
    const limiters = [limiterOn(t.db, policy), limiterOn(otherDb, policy)]
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => limiters[i % 2]!.claim({ account: `burst-${i}@example.com`, address })))
    expect(claims.filter(claim => !isLoginRefusal(claim))).toHaveLength(5)
    expect(await triesOf('address', address)).toBe(5)
  })
})

describe('pruning', () => {
  it('deletes counters unused for longer than any limit looks back, and keeps the rest', async () => {
    const limiter = limiterOn(t.db, { ...LOGIN_LIMITS, pruneEveryMs: Number.POSITIVE_INFINITY })
    await attempt(limiter, { account: 'old@example.com', address: '198.51.100.1' })
    clock += 2 * 60 * 60_000
    await attempt(limiter, { account: 'new@example.com', address: '198.51.100.2' })
    expect(await limiter.prune()).toBe(2)
    const left = await getDiscubotLoginAttempts([
      { scope: 'account', key: 'old@example.com' }, { scope: 'address', key: '198.51.100.1' },
      { scope: 'account', key: 'new@example.com' }, { scope: 'address', key: '198.51.100.2' },
    ])
    expect(left.map(row => row.key).sort()).toEqual(['198.51.100.2', 'new@example.com'])
  })

  it('happens on the fly as failures come in, at most once a minute per instance', async () => {
    const limiter = limiterOn(t.db)
    const fail = (account: string) => attempt(limiter, { account, address: '198.51.100.1' })
    const start = clock
    await fail('a@example.com')
    clock = start + LOGIN_LIMITS.accountForgetAfterMs - 20_000
    await fail('b@example.com')
    // a's counter is past every limit now, but the last pruning was only 30 s ago.
    clock = start + LOGIN_LIMITS.accountForgetAfterMs + 10_000
    await fail('c@example.com')
    expect(await triesOf('account', 'a@example.com')).toBe(1)
    clock = start + LOGIN_LIMITS.accountForgetAfterMs + 40_000
    await fail('d@example.com')
    expect(await triesOf('account', 'a@example.com')).toBe(0)
    expect(await triesOf('account', 'b@example.com')).toBe(1)
  })
})

describe('session versions', () => {
  it('ending a user\'s sessions moves their version on, and only theirs', async () => {
    const team = await createDiscubotTeam({ name: 'Team', slug: 'team' })
    const [leaver, stayer] = await Promise.all(['leaver', 'stayer'].map(name => createDiscubotUser({ email: `${name}@example.com`, name })))
    for (const user of [leaver!, stayer!]) await addDiscubotTeamMember({ teamId: team.id, userId: user.id, role: 'member' })
    expect(await getDiscubotSessionState(team.id, leaver!.id)).toEqual({ role: 'member', sessionVersion: 0 })

    await runWithDb(otherDb, () => endDiscubotUserSessions(leaver!.id, leaver!.id))
    await endDiscubotUserSessions(leaver!.id)
    expect(await getDiscubotSessionState(team.id, leaver!.id)).toEqual({ role: 'member', sessionVersion: 2 })
    expect(await getDiscubotSessionState(team.id, stayer!.id)).toEqual({ role: 'member', sessionVersion: 0 })
    expect(await getDiscubotSessionState('another-team', stayer!.id)).toBeUndefined()
  })
})
