import type { Settings } from '../utils/settings'
import { ensureRecurringTimer } from '../../collections/timers/server/database/queries'

export const CLEANUP_TIMER = 'cleanup'

/** The cleanup schedule is a row: created once, kept across restarts. */
export async function ensureCleanupTimer(settings: Pick<Settings, 'cleanupIntervalMs'>): Promise<void> {
  await ensureRecurringTimer({ name: CLEANUP_TIMER, callback: 'cleanup', intervalMs: settings.cleanupIntervalMs })
}
