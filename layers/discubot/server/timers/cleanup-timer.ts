import { sql } from 'drizzle-orm'
import { useDb } from '../utils/db'
import type { Settings } from '../utils/settings'
import { SYSTEM_USER_ID } from '../utils/constants'
import { discubotTimers } from '../../collections/timers/server/database/schema'

export const CLEANUP_TIMER = 'cleanup'

/**
 * The cleanup schedule is a row: created once, kept across restarts. A changed interval applies
 * at once if it brings the next run closer.
 */
export async function ensureCleanupTimer(settings: Settings): Promise<void> {
  const now = Date.now()
  await useDb().insert(discubotTimers).values({
    name: CLEANUP_TIMER,
    kind: 'recurring',
    callback: 'cleanup',
    intervalMs: settings.cleanupIntervalMs,
    nextRunAt: new Date(now + settings.cleanupIntervalMs),
    createdBy: SYSTEM_USER_ID,
    updatedBy: SYSTEM_USER_ID,
  }).onConflictDoUpdate({
    target: discubotTimers.name,
    set: {
      intervalMs: settings.cleanupIntervalMs,
      nextRunAt: sql`min(${discubotTimers.nextRunAt}, ${now + settings.cleanupIntervalMs})`,
    },
  })
}
