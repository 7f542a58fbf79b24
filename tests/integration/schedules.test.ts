// Timers on the clock, on a real database and a clock the test sets: the cleanup at a time of day
// in a zone (the row keeps cron and zone, so every instance computes the same next run), fired
// once across claimers at that time and then scheduled for the next day; one-off timers deleted a
// day after they ran; a timer whose callback this version lacks is reported, not retried forever.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDb, type TempDb } from '../support/temp-db'
import { testSettings } from '../support/engine-fixtures'
import { discubotTimers } from '#layers/discubot/collections/timers/server/database/schema'
import { getDiscubotTimerByName } from '#layers/discubot/collections/timers/server/database/queries'
import { ensureCleanupTimer } from '#layers/discubot/server/timers/cleanup-timer'
import { fireDueTimers, UNKNOWN_TIMER_GRACE_MS } from '#layers/discubot/server/timers/timer-loop'
import { runCleanup } from '#layers/discubot/server/timers/cleanup'
import { SYSTEM_USER_ID } from '#layers/discubot/server/utils/constants'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

const berlin = { cleanupAt: '03:00', timezone: 'Europe/Berlin' }
const cleanup = () => getDiscubotTimerByName('cleanup').then(timer => timer!)

describe('the cleanup at a time of day', () => {
  it('is due at 03:00 in its zone; instances booting later keep the row\'s next run; a new time moves it', async () => {
    await ensureCleanupTimer(testSettings(berlin), Date.parse('2026-11-27T10:00:00Z'))
    expect(await cleanup()).toMatchObject({ cron: '0 3 * * *', timezone: 'Europe/Berlin', nextRunAt: new Date('2026-11-28T02:00:00Z') })

    // A second instance boots after 03:00 Berlin the next day, before the first one ran it: the row keeps its (overdue) run.
    await ensureCleanupTimer(testSettings(berlin), Date.parse('2026-11-28T05:00:00Z'))
    expect((await cleanup()).nextRunAt).toEqual(new Date('2026-11-28T02:00:00Z'))

    await ensureCleanupTimer(testSettings({ cleanupAt: '04:30', timezone: 'America/New_York' }), Date.parse('2026-11-27T10:00:00Z'))
    expect(await cleanup()).toMatchObject({ cron: '30 4 * * *', timezone: 'America/New_York', nextRunAt: new Date('2026-11-28T09:30:00Z') })
  })

  it('fires once across claimers when the clock reaches it, then waits for the next day at the same wall-clock time', async () => {
    await ensureCleanupTimer(testSettings(berlin), Date.parse('2026-11-27T10:00:00Z'))
    const runs: string[] = []
    const handlers = { cleanup: async () => runs.push('cleanup') }
    const before = () => new Date('2026-11-28T01:59:59Z')
    const at = () => new Date('2026-11-28T02:00:01Z')

    expect(await fireDueTimers('a', 60_000, handlers, before)).toBe(0)
    const fired = await Promise.all([fireDueTimers('a', 60_000, handlers, at), fireDueTimers('b', 60_000, handlers, at), fireDueTimers('c', 60_000, handlers, at)])
    expect(fired.reduce((sum, n) => sum + n, 0)).toBe(1)
    expect(runs).toEqual(['cleanup'])
    expect(await cleanup()).toMatchObject({ runCount: 1, lastRunAt: at(), lockedBy: null, nextRunAt: new Date('2026-11-29T02:00:00Z') })
  })

  it('follows daylight saving time: 03:00 Berlin is 01:00 UTC in summer', async () => {
    await ensureCleanupTimer(testSettings(berlin), Date.parse('2026-03-28T12:00:00Z'))
    expect((await cleanup()).nextRunAt).toEqual(new Date('2026-03-29T01:00:00Z'))
  })

  it('runs every NUXT_CLEANUP_INTERVAL_MS from boot with NUXT_CLEANUP_AT=off', async () => {
    await ensureCleanupTimer(testSettings({ cleanupAt: 'off', cleanupIntervalMs: 3_600_000 }), Date.parse('2026-11-27T10:00:00Z'))
    expect(await cleanup()).toMatchObject({ cron: null, timezone: null, nextRunAt: new Date('2026-11-27T11:00:00Z') })
  })
})

describe('timer housekeeping', () => {
  it('deletes one-off timers a day after they ran, keeping recurring ones and those still to run', async () => {
    const now = Date.now()
    const row = (name: string, kind: 'once' | 'recurring', status: 'active' | 'done', updatedAgoMs: number) => ({
      name, kind, status, callback: 'cleanup' as const, nextRunAt: new Date(now), updatedAt: new Date(now - updatedAgoMs), createdBy: SYSTEM_USER_ID, updatedBy: SYSTEM_USER_ID,
    })
    await t.db.insert(discubotTimers).values([
      row('ran-two-days-ago', 'once', 'done', 2 * 86_400_000),
      row('ran-an-hour-ago', 'once', 'done', 3_600_000),
      row('still-to-run', 'once', 'active', 2 * 86_400_000),
      row('recurring-retired', 'recurring', 'done', 2 * 86_400_000),
    ])
    expect(await runCleanup({ retentionDays: 30 })).toMatchObject({ timersDeleted: 1 })
    expect((await t.db.select().from(discubotTimers)).map(timer => timer.name).sort()).toEqual(['ran-an-hour-ago', 'recurring-retired', 'still-to-run'])
  })

  it('leaves a timer whose callback it lacks to an instance that knows it, then reports and retires it; a version that knows it revives it', async () => {
    const settings = testSettings({ cleanupAt: 'off', cleanupIntervalMs: 60_000 })
    await ensureCleanupTimer(settings, Date.parse('2026-11-27T10:00:00Z'))
    // An older version without a "cleanup" handler (the timer row came from a newer one).
    const withoutCleanup = {}
    const due = new Date('2026-11-27T10:01:00Z')
    expect(await fireDueTimers('old', 60_000, withoutCleanup, () => due)).toBe(0)
    expect(await cleanup()).toMatchObject({ status: 'active', lastError: null, runCount: 0 })

    const muchLater = new Date(due.getTime() + UNKNOWN_TIMER_GRACE_MS + 1000)
    expect(await fireDueTimers('old', 60_000, withoutCleanup, () => muchLater)).toBe(0)
    expect(await cleanup()).toMatchObject({ status: 'done', runCount: 0, lastError: 'No instance of this version knows the callback "cleanup"; not retried' })
    expect(await fireDueTimers('old', 60_000, withoutCleanup, () => new Date(muchLater.getTime() + 3_600_000))).toBe(0)

    await ensureCleanupTimer(settings)
    expect((await cleanup()).status).toBe('active')
  })
})
