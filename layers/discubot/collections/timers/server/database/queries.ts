import { asc } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { discubotTimers, type DiscubotTimer } from './schema'

/** Every timer row (system schedules such as cleanup, and one-offs), soonest first. */
export async function listDiscubotTimers(): Promise<DiscubotTimer[]> {
  return useDb().select().from(discubotTimers).orderBy(asc(discubotTimers.nextRunAt))
}
