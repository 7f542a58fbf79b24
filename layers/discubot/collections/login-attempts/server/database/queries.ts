// The sign-in counters. A try is counted before its password is checked, in one upsert that also
// refuses it when the limit is reached, so concurrent tries (from any instance) cannot slip past
// the limit while each other's checks are still running.
import { and, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import type { LoginLimitScope } from '../../../../shared/domain'
import { discubotLoginAttempts, type DiscubotLoginAttempt } from './schema'

const t = discubotLoginAttempts

export interface LoginKey {
  scope: LoginLimitScope
  key: string
}

function firstTry(scope: LoginLimitScope, key: string, now: number) {
  const at = new Date(now)
  return { scope, key, tries: 1, countingSince: at, lastTryAt: at, createdBy: SYSTEM_USER_ID, updatedBy: SYSTEM_USER_ID, createdAt: at, updatedAt: at }
}

export async function getDiscubotLoginAttempts(keys: LoginKey[]): Promise<DiscubotLoginAttempt[]> {
  if (keys.length === 0) return []
  return useDb().select().from(t).where(or(...keys.map(({ scope, key }) => and(eq(t.scope, scope), eq(t.key, key)))))
}

/**
 * Counts a try from a client address: at most `maxTries` per window, the window starting with
 * the first try after the previous one ended. Undefined when the address has used them all.
 */
export async function claimDiscubotLoginAddressTry(key: string, limit: { now: number, windowMs: number, maxTries: number }): Promise<{ countingSince: Date } | undefined> {
  const { now, windowMs, maxTries } = limit
  const windowOver = sql`${t.countingSince} <= ${now - windowMs}`
  const [row] = await useDb().insert(t).values(firstTry('address', key, now)).onConflictDoUpdate({
    target: [t.scope, t.key],
    set: {
      tries: sql`CASE WHEN ${windowOver} THEN 1 ELSE ${t.tries} + 1 END`,
      countingSince: sql`CASE WHEN ${windowOver} THEN ${now} ELSE ${t.countingSince} END`,
      lastTryAt: new Date(now),
      updatedAt: new Date(now),
    },
    setWhere: sql`${t.tries} < ${maxTries} OR ${windowOver}`,
  }).returning({ countingSince: t.countingSince })
  return row
}

/** `waitMs[n]`: the wait after n counted tries; the last entry holds for any more. */
function waitAfter(tries: typeof t.tries, waitMs: readonly number[]): SQL {
  const steps = waitMs.slice(0, -1).map((ms, n) => sql`WHEN ${n} THEN ${ms}`)
  return sql`(CASE ${tries} ${sql.join(steps, sql` `)} ELSE ${waitMs.at(-1) ?? 0} END)`
}

/**
 * Counts a try on an account unless it is still waiting out its backoff (`waitMs`, see
 * getDiscubotLoginAttempts' callers); tries are forgotten `forgetAfterMs` after the last one.
 * Undefined while the account must wait.
 */
export async function claimDiscubotLoginAccountTry(key: string, limit: { now: number, forgetAfterMs: number, waitMs: readonly number[] }): Promise<{ tries: number } | undefined> {
  const { now, forgetAfterMs, waitMs } = limit
  const forgotten = sql`${t.lastTryAt} <= ${now - forgetAfterMs}`
  const [row] = await useDb().insert(t).values(firstTry('account', key, now)).onConflictDoUpdate({
    target: [t.scope, t.key],
    set: {
      tries: sql`CASE WHEN ${forgotten} THEN 1 ELSE ${t.tries} + 1 END`,
      countingSince: sql`CASE WHEN ${forgotten} THEN ${now} ELSE ${t.countingSince} END`,
      lastTryAt: new Date(now),
      updatedAt: new Date(now),
    },
    setWhere: sql`${t.lastTryAt} + ${waitAfter(t.tries, waitMs)} <= ${now} OR ${forgotten}`,
  }).returning({ tries: t.tries })
  return row
}

/** Gives a counted address try back (its password was right, or never checked), within the same window only. */
function giveBackAddressTry(key: string, countingSince: Date) {
  return useDb().update(t).set({ tries: sql`${t.tries} - 1`, updatedAt: new Date() })
    .where(and(eq(t.scope, 'address'), eq(t.key, key), eq(t.countingSince, countingSince), gt(t.tries, 0)))
}

export async function giveBackDiscubotLoginAddressTry(key: string, countingSince: Date): Promise<void> {
  await giveBackAddressTry(key, countingSince)
}

/** A right password: the account's failures are forgotten and the address gets its try back. */
export async function settleDiscubotLoginSuccess(claim: { account: string, address: string, addressCountingSince: Date }): Promise<void> {
  await useDb().batch([
    useDb().delete(t).where(and(eq(t.scope, 'account'), eq(t.key, claim.account))),
    giveBackAddressTry(claim.address, claim.addressCountingSince),
  ])
}

/** Deletes counters nobody has tried since `before`; returns how many. */
export async function pruneDiscubotLoginAttempts(before: Date): Promise<number> {
  const result = await useDb().delete(t).where(lt(t.lastTryAt, before))
  return result.rowsAffected
}
