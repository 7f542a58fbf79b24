import { describe, expect, it } from 'vitest'
import { dailyCron, effectiveTimeZone, formatDurationMs, isValidTimeZone, nextRunOf, parseTimeOfDay } from '#layers/discubot/server/utils/schedule'
import { settingsFromEnv } from '#layers/discubot/server/utils/settings'

describe('wall-clock schedules', () => {
  it('reads a time of day and refuses what is not one', () => {
    expect(parseTimeOfDay('03:00')).toEqual({ hour: 3, minute: 0 })
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 })
    for (const bad of ['24:00', '3', '03:60', '3pm', '']) expect(parseTimeOfDay(bad), bad).toBeNull()
    expect(dailyCron('7:05')).toBe('5 7 * * *')
    expect(() => settingsFromEnv({ NUXT_CLEANUP_AT: '25:00' })).toThrow(/HH:MM/)
    expect(() => settingsFromEnv({ NUXT_TIMEZONE: 'Mars/Olympus' })).toThrow(/IANA/)
  })

  it('computes the next run from the moment it is given, in the zone', () => {
    const daily3 = { cron: dailyCron('03:00'), timezone: 'Europe/Berlin' }
    expect(nextRunOf(daily3, new Date('2026-11-27T10:00:00Z'))).toEqual(new Date('2026-11-28T02:00:00Z'))
    // Strictly after: at 03:00 sharp the next one is tomorrow's.
    expect(nextRunOf(daily3, new Date('2026-11-28T02:00:00Z'))).toEqual(new Date('2026-11-29T02:00:00Z'))
    // Summer time: 03:00 in Berlin is 01:00 UTC; a 02:30 that does not exist that night runs an hour later.
    expect(nextRunOf(daily3, new Date('2026-07-01T12:00:00Z'))).toEqual(new Date('2026-07-02T01:00:00Z'))
    expect(nextRunOf({ cron: dailyCron('02:30'), timezone: 'Europe/Berlin' }, new Date('2026-03-28T12:00:00Z'))).toEqual(new Date('2026-03-29T01:30:00Z'))
    expect(nextRunOf({ intervalMs: 60_000 }, new Date('2026-11-27T10:00:00Z'))).toEqual(new Date('2026-11-27T10:01:00Z'))
    expect(nextRunOf({}, new Date())).toBeNull()
  })

  it('runs in NUXT_TIMEZONE, else TZ when it names a zone, else UTC', () => {
    expect(effectiveTimeZone('Asia/Tokyo', 'Europe/Paris')).toBe('Asia/Tokyo')
    expect(effectiveTimeZone('', 'Europe/Paris')).toBe('Europe/Paris')
    expect(effectiveTimeZone('', ':Europe/Paris')).toBe('Europe/Paris')
    expect(effectiveTimeZone('', 'not a zone')).toBe('UTC')
    expect(effectiveTimeZone('', undefined)).toBe('UTC')
    expect(isValidTimeZone('America/New_York')).toBe(true)
  })

  it('says a wait the way people do', () => {
    expect([42_000, 5 * 60_000, 3 * 3_600_000 + 5 * 60_000, 2 * 3_600_000].map(formatDurationMs)).toEqual(['42 s', '5 min', '3 h 5 min', '2 h'])
  })
})
