import { describe, expect, it } from 'vitest'
import { TokenBucket, keyedLimiter, type Clock } from '#layers/discubot/server/utils/token-bucket'

/** A clock that only moves when a sleeper asks it to: waits are measured, never slept. */
function fakeClock() {
  let now = 0
  const slept: number[] = []
  const clock: Clock = {
    now: () => now,
    async sleep(ms, signal) {
      signal?.throwIfAborted()
      slept.push(ms)
      now += ms
    },
  }
  const advance = (ms: number) => {
    now += ms
  }
  return { clock, slept, advance, now: () => now }
}

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through at once, then paces at the rate', async () => {
    const time = fakeClock()
    const bucket = new TokenBucket({ ratePerSecond: 3, capacity: 3, clock: time.clock })
    const grantedAt: number[] = []
    await Promise.all(Array.from({ length: 9 }, () => bucket.acquire().then(() => grantedAt.push(time.now()))))
    expect(grantedAt.slice(0, 3)).toEqual([0, 0, 0])
    // Six more at 3/s: one every third of a second (waits round up; the fractions carry over).
    expect(grantedAt.slice(3)).toEqual([334, 667, 1001, 1334, 1667, 2001])
  })

  it('never grants more than rate × window + capacity in any window', async () => {
    const time = fakeClock()
    const bucket = new TokenBucket({ ratePerSecond: 3, capacity: 3, clock: time.clock })
    const grantedAt: number[] = []
    for (let i = 0; i < 30; i++) {
      await bucket.acquire()
      grantedAt.push(time.now())
    }
    for (const start of grantedAt) {
      const inSecond = grantedAt.filter(t => t >= start && t < start + 1000).length
      expect(inSecond).toBeLessThanOrEqual(3 + 3)
    }
    // Sustained: 30 grants need (30 - 3) / 3 seconds at least.
    expect(time.now()).toBeGreaterThanOrEqual(9000)
  })

  it('refills while idle, up to capacity only', async () => {
    const time = fakeClock()
    const bucket = new TokenBucket({ ratePerSecond: 3, capacity: 3, clock: time.clock })
    for (let i = 0; i < 3; i++) await bucket.acquire()
    time.advance(60_000)
    for (let i = 0; i < 3; i++) await bucket.acquire()
    expect(time.slept).toEqual([])
    await bucket.acquire()
    expect(time.slept).toEqual([334])
  })

  it('a waiter whose signal aborts gives up without blocking the others', async () => {
    const time = fakeClock()
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1, clock: time.clock })
    await bucket.acquire()
    const controller = new AbortController()
    controller.abort(new Error('lease lost'))
    await expect(bucket.acquire(controller.signal)).rejects.toThrow('lease lost')
    await expect(bucket.acquire()).resolves.toBeUndefined()
  })
})

describe('keyedLimiter', () => {
  it('keeps one bucket per key', async () => {
    const time = fakeClock()
    const limiter = keyedLimiter({ ratePerSecond: 1, capacity: 1, clock: time.clock })
    await limiter.acquire('token-a')
    await limiter.acquire('token-b')
    expect(time.slept).toEqual([])
    await limiter.acquire('token-a')
    expect(time.slept).toEqual([1000])
  })
})
