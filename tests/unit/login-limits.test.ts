// The account backoff schedule and the cap on concurrent password checks.
import { describe, expect, it } from 'vitest'
import { accountWaitMs, LOGIN_LIMITS } from '#layers/discubot/server/auth/login-limits'
import { PasswordCheckGate } from '#layers/discubot/server/auth/password-checks'

describe('account backoff', () => {
  it('lets a typo or two through, then doubles the wait', () => {
    const waits = Array.from({ length: 10 }, (_, i) => accountWaitMs(i))
    expect(waits).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000])
  })

  it('never makes anyone wait more than a minute, however many failures', () => {
    expect(LOGIN_LIMITS.accountMaxWaitMs).toBe(60_000)
    for (const failures of [10, 11, 20, 100, 10_000]) expect(accountWaitMs(failures)).toBe(60_000)
  })

  it('follows the policy it is given', () => {
    const policy = { ...LOGIN_LIMITS, accountFreeTries: 0, accountBaseWaitMs: 10, accountMaxWaitMs: 50 }
    expect([1, 2, 3, 4, 5].map(n => accountWaitMs(n, policy))).toEqual([10, 20, 40, 50, 50])
  })
})

describe('PasswordCheckGate', () => {
  function deferred() {
    let resolve!: () => void
    const promise = new Promise<void>((r) => {
      resolve = r
    })
    return { promise, resolve }
  }

  it('never runs more checks at once than its cap, and turns away what the queue cannot hold', async () => {
    const gate = new PasswordCheckGate(2, 3)
    let running = 0
    let peak = 0
    const releases = Array.from({ length: 8 }, deferred)
    const runs = releases.map(({ promise }) => gate.run(async () => {
      running++
      peak = Math.max(peak, running)
      await promise
      running--
      return 'checked'
    }))
    // Two running and three waiting: the sixth and later are refused without running.
    expect(runs.map(run => run !== undefined)).toEqual([true, true, true, true, true, false, false, false])
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(gate.running).toBe(2)
    for (const release of releases) release.resolve()
    expect(await Promise.all(runs.slice(0, 5))).toEqual(Array(5).fill('checked'))
    expect(peak).toBe(2)
    // Once drained, it takes new checks again.
    expect(await gate.run(async () => 'again')).toBe('again')
  })

  it('frees the place of a check that fails', async () => {
    const gate = new PasswordCheckGate(1, 0)
    await expect(gate.run(() => Promise.reject(new Error('broken hash')))!).rejects.toThrow('broken hash')
    expect(await gate.run(async () => 'next')).toBe('next')
  })
})
