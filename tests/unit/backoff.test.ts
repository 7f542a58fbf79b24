// Exponential backoff with full jitter, and a service's Retry-After taking precedence (bounded).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '#layers/discubot/server/utils/backoff'

const policyArb = fc.record({
  baseMs: fc.integer({ min: 1, max: 60_000 }),
  capMs: fc.integer({ min: 1, max: 24 * 60 * 60_000 }),
  maxRetryAfterMs: fc.integer({ min: 1, max: 24 * 60 * 60_000 }),
})
/** Math.random's range: [0, 1). */
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
const attemptArb = fc.integer({ min: 1, max: 2000 })

const ceilingOf = (attempt: number, policy: BackoffPolicy) => Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1))

describe('backoffDelay', () => {
  it('is a whole number of ms in [0, min(cap, base·2^(n−1))) for any attempt, policy and draw', () => {
    fc.assert(fc.property(attemptArb, policyArb, randomArb, (attempt, policy, r) => {
      const delay = backoffDelay(attempt, policy, undefined, () => r)
      expect(Number.isInteger(delay)).toBe(true)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(ceilingOf(attempt, policy))
    }))
  })

  it('jitters over the whole range: the top draw lands in the top 1% of the ceiling', () => {
    fc.assert(fc.property(attemptArb, policyArb, (attempt, policy) => {
      const ceiling = ceilingOf(attempt, policy)
      const top = backoffDelay(attempt, policy, undefined, () => 0.999_999)
      expect(top).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.99) - 1)
      expect(backoffDelay(attempt, policy, undefined, () => 0)).toBe(0)
    }))
  })

  it('doubles the ceiling per attempt until the cap', () => {
    const policy = { baseMs: 100, capMs: 1000, maxRetryAfterMs: 10_000 }
    const tops = [1, 2, 3, 4, 5, 6].map(n => backoffDelay(n, policy, undefined, () => 0.999_999))
    expect(tops).toEqual([99, 199, 399, 799, 999, 999])
  })

  it('treats attempt 0 or less like the first attempt', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, undefined, () => 0.999_999)).toBe(999)
    expect(backoffDelay(-3, DEFAULT_BACKOFF, undefined, () => 0.999_999)).toBe(999)
  })

  it('stays within bounds with the real Math.random', () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      const delay = backoffDelay(attempt)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(ceilingOf(attempt, DEFAULT_BACKOFF))
    }
  })

  it('never retries before Retry-After, and never waits past maxRetryAfterMs plus a little jitter', () => {
    fc.assert(fc.property(attemptArb, policyArb, randomArb, fc.integer({ min: 0, max: 7 * 24 * 60 * 60_000 }), (attempt, policy, r, retryAfterMs) => {
      const delay = backoffDelay(attempt, policy, retryAfterMs, () => r)
      const honoured = Math.min(retryAfterMs, policy.maxRetryAfterMs)
      expect(Number.isInteger(delay)).toBe(true)
      expect(delay).toBeGreaterThanOrEqual(honoured)
      if (retryAfterMs <= policy.maxRetryAfterMs) expect(delay).toBeGreaterThanOrEqual(retryAfterMs)
      // The jitter on top is below one base step (and below the attempt's own ceiling).
      expect(delay).toBeLessThan(honoured + Math.max(1, Math.min(policy.baseMs, ceilingOf(attempt, policy))))
    }))
  })

  it('caps an absurd Retry-After at maxRetryAfterMs', () => {
    const policy = { baseMs: 1000, capMs: 60_000, maxRetryAfterMs: 3_600_000 }
    expect(backoffDelay(1, policy, 30 * 24 * 3_600_000, () => 0)).toBe(3_600_000)
    expect(backoffDelay(1, policy, 30 * 24 * 3_600_000, () => 0.5)).toBe(3_600_500)
  })

  it('honours Retry-After even when it is longer than the computed backoff cap', () => {
    const policy = { baseMs: 10, capMs: 50, maxRetryAfterMs: 60_000 }
    expect(backoffDelay(1, policy, 30_000, () => 0)).toBe(30_000)
  })
})
