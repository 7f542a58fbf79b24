import { describe, expect, it } from 'vitest'
import { createRateLimiter } from '#layers/discubot/server/auth/rate-limiter'

function clock(start = 1_000_000) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe('createRateLimiter', () => {
  it('allows `limit` attempts per window, then refuses with the time left', () => {
    const time = clock()
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: time.now })
    expect([1, 2, 3].map(() => limiter.hit('a').allowed)).toEqual([true, true, true])
    time.advance(15_000)
    const refused = limiter.hit('a')
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 45_000 })
  })

  it('counts keys apart', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000 })
    expect(limiter.hit('ip|a@x').allowed).toBe(true)
    expect(limiter.hit('ip|b@x').allowed).toBe(true)
    expect(limiter.hit('ip|a@x').allowed).toBe(false)
  })

  it('opens a fresh window once the old one ends', () => {
    const time = clock()
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, now: time.now })
    limiter.hit('a')
    expect(limiter.hit('a').allowed).toBe(false)
    time.advance(1000)
    expect(limiter.hit('a')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 })
  })

  it('reset forgets a key', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000 })
    limiter.hit('a')
    limiter.reset('a')
    expect(limiter.hit('a').allowed).toBe(true)
  })

  it('keeps at most maxKeys windows, dropping expired ones first, then the oldest', () => {
    const time = clock()
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, maxKeys: 3, now: time.now })
    limiter.hit('old')
    time.advance(1000)
    limiter.hit('b')
    limiter.hit('c')
    limiter.hit('d')
    expect(limiter.size()).toBe(3)
    limiter.hit('e')
    expect(limiter.size()).toBe(3)
    // 'b' was the oldest live window: it is gone, so it starts afresh; 'e' is still counted.
    expect(limiter.hit('b').allowed).toBe(true)
    expect(limiter.hit('e').allowed).toBe(false)
  })
})
