// Upkeep of the overview roll-ups (drizzle/0014). The triggers keep every count exact; they never
// delete a row, so the rows of days and hours whose jobs the retention cleanup removed stay at zero
// until this prunes them.
import { eq } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { discubotJobDailyCounts, discubotJobStageHourly } from './schema'

/** Deletes roll-up rows that count nothing; the cleanup runs it after deleting old jobs. */
export async function deleteEmptyRollupRows(): Promise<number> {
  const db = useDb()
  const [days, hours] = await db.batch([
    db.delete(discubotJobDailyCounts).where(eq(discubotJobDailyCounts.jobs, 0)),
    db.delete(discubotJobStageHourly).where(eq(discubotJobStageHourly.runs, 0)),
  ])
  return days.rowsAffected + hours.rowsAffected
}
