import { CLEANUP_BY_INTERVAL, type Settings } from '../utils/settings'
import { dailyCron, effectiveTimeZone } from '../utils/schedule'
import { ensureRecurringTimer } from '../../collections/timers/server/database/queries'

export const CLEANUP_TIMER = 'cleanup'

/**
 * The cleanup schedule is a row: created once, kept across restarts. NUXT_CLEANUP_AT runs it at a
 * time of day in the configured zone (the row keeps the cron and zone, so every instance computes
 * the same next run); `off`, it runs every NUXT_CLEANUP_INTERVAL_MS.
 */
export async function ensureCleanupTimer(settings: Pick<Settings, 'cleanupIntervalMs' | 'cleanupAt' | 'timezone'>, now?: number): Promise<void> {
  const clock = settings.cleanupAt !== CLEANUP_BY_INTERVAL ? { cron: dailyCron(settings.cleanupAt), timezone: effectiveTimeZone(settings.timezone) } : {}
  await ensureRecurringTimer({ name: CLEANUP_TIMER, callback: 'cleanup', intervalMs: settings.cleanupIntervalMs, ...clock }, now)
}
