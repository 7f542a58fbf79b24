// Deletes finished jobs past the retention period, in small batches so no batch holds the write
// lock for long (webhooks keep landing meanwhile). Stage rows go with their job (ON DELETE CASCADE);
// discussions and tasks stay, their links to the job become null (ON DELETE SET NULL).
import { and, inArray, lt } from 'drizzle-orm'
import { useDb } from '../utils/db'
import { useSettings } from '../utils/settings'
import { discubotJobs } from '../../collections/jobs/server/database/schema'

export interface CleanupOptions {
  retentionDays?: number
  batchSize?: number
  now?: Date
}

export async function runCleanup(options: CleanupOptions = {}): Promise<{ deleted: number, cutoff: string }> {
  const retentionDays = options.retentionDays ?? useSettings().jobRetentionDays
  const batchSize = options.batchSize ?? 500
  const cutoff = new Date((options.now ?? new Date()).getTime() - retentionDays * 24 * 60 * 60_000)
  const db = useDb()
  let deleted = 0
  for (;;) {
    const batch = db.select({ id: discubotJobs.id }).from(discubotJobs)
      .where(and(inArray(discubotJobs.status, ['completed', 'failed']), lt(discubotJobs.completedAt, cutoff)))
      .limit(batchSize)
    const result = await db.delete(discubotJobs).where(inArray(discubotJobs.id, batch))
    deleted += result.rowsAffected
    if (result.rowsAffected < batchSize) break
    // Yield between batches so other writers get the lock.
    await new Promise(resolve => setImmediate(resolve))
  }
  return { deleted, cutoff: cutoff.toISOString() }
}
