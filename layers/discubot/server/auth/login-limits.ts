// The two sign-in limits, counted in the database so every instance shares them:
// - per account (the e-mail typed): a few free tries, then an exponential wait capped at a minute,
//   whatever address the tries come from. A guesser can slow the owner down, never lock them out.
// - per client address: so many tries per window, so rotating e-mails (each one a 16 MiB scrypt)
//   is limited too. A right password gives its try back: the address limit counts failures.
import type { DiscubotLoginAttempt } from '../../collections/login-attempts/server/database/schema'
import {
  claimDiscubotLoginAccountTry,
  claimDiscubotLoginAddressTry,
  getDiscubotLoginAttempts,
  giveBackDiscubotLoginAddressTry,
  pruneDiscubotLoginAttempts,
  settleDiscubotLoginSuccess,
} from '../../collections/login-attempts/server/database/queries'

export interface LoginLimitPolicy {
  /** Failed tries one address may make per window. */
  addressMaxTries: number
  addressWindowMs: number
  /** Failed tries on an account that cost no wait: a typo or two. */
  accountFreeTries: number
  /** The first wait; each further failure doubles it, up to `accountMaxWaitMs`. */
  accountBaseWaitMs: number
  accountMaxWaitMs: number
  /** An account's failures are forgotten this long after the last one. */
  accountForgetAfterMs: number
  /** How often a process deletes counters nobody has used for a while. */
  pruneEveryMs: number
}

export const LOGIN_LIMITS: LoginLimitPolicy = {
  addressMaxTries: 20,
  addressWindowMs: 15 * 60_000,
  accountFreeTries: 3,
  accountBaseWaitMs: 1000,
  accountMaxWaitMs: 60_000,
  accountForgetAfterMs: 60 * 60_000,
  pruneEveryMs: 60_000,
}

/** How long an account waits after `failures` failed tries in a row. */
export function accountWaitMs(failures: number, policy: LoginLimitPolicy = LOGIN_LIMITS): number {
  const beyondFree = failures - policy.accountFreeTries
  if (beyondFree <= 0) return 0
  return Math.min(policy.accountMaxWaitMs, policy.accountBaseWaitMs * 2 ** (beyondFree - 1))
}

/** `accountWaitMs` for 0, 1, 2… failures up to the first capped one, for the database's own check. */
function waitSchedule(policy: LoginLimitPolicy): number[] {
  const schedule = [0]
  while (schedule.at(-1)! < policy.accountMaxWaitMs) schedule.push(accountWaitMs(schedule.length, policy))
  return schedule
}

export interface LoginKeys {
  /** The e-mail typed, lower-cased. */
  account: string
  /** From `addressLimitKey`. */
  address: string
}

export interface LoginRefusal {
  limit: 'account' | 'address'
  retryAfterMs: number
}

export interface LoginClaim extends LoginKeys {
  addressCountingSince: Date
}

export function isLoginRefusal(outcome: LoginClaim | LoginRefusal): outcome is LoginRefusal {
  return 'retryAfterMs' in outcome
}

export class LoginLimiter {
  private readonly schedule: number[]
  private lastPrunedAt = 0

  constructor(private readonly policy: LoginLimitPolicy = LOGIN_LIMITS, private readonly now: () => number = Date.now) {
    this.schedule = waitSchedule(policy)
  }

  /** A read before queueing for a password check, so a blocked guesser never takes a place in the queue. */
  async refusal(keys: LoginKeys): Promise<LoginRefusal | undefined> {
    const rows = await getDiscubotLoginAttempts([{ scope: 'address', key: keys.address }, { scope: 'account', key: keys.account }])
    const now = this.now()
    const refusals = rows.map(row => this.refusalOf(row, now)).filter(refusal => refusal !== undefined)
    return refusals.sort((a, b) => b.retryAfterMs - a.retryAfterMs)[0]
  }

  /** Counts the try against both limits, or refuses it; a refused account hands the address its try back. */
  async claim(keys: LoginKeys): Promise<LoginClaim | LoginRefusal> {
    const now = this.now()
    const address = await claimDiscubotLoginAddressTry(keys.address, { now, windowMs: this.policy.addressWindowMs, maxTries: this.policy.addressMaxTries })
    if (!address) return await this.refusal(keys) ?? { limit: 'address', retryAfterMs: 1000 }
    const account = await claimDiscubotLoginAccountTry(keys.account, { now, forgetAfterMs: this.policy.accountForgetAfterMs, waitMs: this.schedule })
    if (!account) {
      await giveBackDiscubotLoginAddressTry(keys.address, address.countingSince)
      return await this.refusal(keys) ?? { limit: 'account', retryAfterMs: 1000 }
    }
    return { ...keys, addressCountingSince: address.countingSince }
  }

  /** A failure stays counted; a success forgets the account's failures and gives the address its try back. */
  async settle(claim: LoginClaim, succeeded: boolean): Promise<void> {
    if (succeeded) return settleDiscubotLoginSuccess({ account: claim.account, address: claim.address, addressCountingSince: claim.addressCountingSince })
    const now = this.now()
    if (now - this.lastPrunedAt < this.policy.pruneEveryMs) return
    this.lastPrunedAt = now
    await this.prune(now)
  }

  /** Deletes counters that no longer limit anything: past their window and their wait. */
  prune(now = this.now()): Promise<number> {
    return pruneDiscubotLoginAttempts(new Date(now - Math.max(this.policy.addressWindowMs, this.policy.accountForgetAfterMs)))
  }

  private refusalOf(row: DiscubotLoginAttempt, now: number): LoginRefusal | undefined {
    if (row.scope === 'address') {
      const endsAt = row.countingSince.getTime() + this.policy.addressWindowMs
      return row.tries >= this.policy.addressMaxTries && endsAt > now ? { limit: 'address', retryAfterMs: endsAt - now } : undefined
    }
    if (row.lastTryAt.getTime() <= now - this.policy.accountForgetAfterMs) return undefined
    const waitsUntil = row.lastTryAt.getTime() + accountWaitMs(row.tries, this.policy)
    return waitsUntil > now ? { limit: 'account', retryAfterMs: waitsUntil - now } : undefined
  }
}
