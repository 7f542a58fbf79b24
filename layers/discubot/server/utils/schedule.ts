// When a timer runs next, as pure functions of a given moment: a fixed interval, or a wall-clock
// schedule (cron, in a time zone) computed with croner (Nitro's own scheduler library). The next
// run is stored on the timer row, so every instance acts on the same moment; nothing here reads
// the clock by itself, which is what lets tests set it.
import { Cron } from 'croner'

export interface TimerSchedule {
  intervalMs?: number | null
  cron?: string | null
  timezone?: string | null
}

/** `HH:MM` (24 h) → { hour, minute }, or null. */
export function parseTimeOfDay(value: string): { hour: number, minute: number } | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim())
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  }
  catch {
    return false
  }
}

/** The zone wall-clock schedules run in: NUXT_TIMEZONE, else TZ (when it names a zone), else UTC. */
export function effectiveTimeZone(configured: string, tzEnv = process.env.TZ): string {
  if (configured) return configured
  const fromEnv = tzEnv?.replace(/^:/, '')
  return fromEnv && isValidTimeZone(fromEnv) ? fromEnv : 'UTC'
}

/** Every day at `HH:MM`, as cron (minute hour * * *). */
export function dailyCron(timeOfDay: string): string {
  const parsed = parseTimeOfDay(timeOfDay)
  if (!parsed) throw new Error(`Not a time of day (HH:MM): ${timeOfDay}`)
  return `${parsed.minute} ${parsed.hour} * * *`
}

/**
 * The first run strictly after `after`. A cron schedule in a zone: croner handles daylight saving
 * (a 02:30 that does not exist that night runs an hour later; one that happens twice runs once).
 */
export function nextRunOf(schedule: TimerSchedule, after: Date): Date | null {
  if (schedule.cron) {
    return new Cron(schedule.cron, { timezone: schedule.timezone || 'UTC', paused: true }).nextRun(after)
  }
  if (schedule.intervalMs) return new Date(after.getTime() + schedule.intervalMs)
  return null
}

/** "3 h 5 min", "42 s": a wait as people say it (logs, the start report). */
export function formatDurationMs(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
}
