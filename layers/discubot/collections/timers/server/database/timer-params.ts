// A timer's params hold the settings its callback runs with (the cleanup's retention), so an
// admin's change is a row like the schedule itself and every instance reads the same value.
import { eq, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { timerParamsSchema } from '../../../../shared/schemas'
import { discubotTimers, type DiscubotTimer } from './schema'

export async function getDiscubotTimerByName(name: string): Promise<DiscubotTimer | undefined> {
  const [row] = await useDb().select().from(discubotTimers).where(eq(discubotTimers.name, name))
  return row
}

/** Merges `params` into the timer's (json_patch: one statement, no lost update); undefined when no such timer exists yet. */
export async function mergeDiscubotTimerParams(name: string, params: Record<string, unknown>, userId: string): Promise<DiscubotTimer | undefined> {
  const patch = JSON.stringify(timerParamsSchema.parse(params))
  const [row] = await useDb().update(discubotTimers)
    .set({ params: sql`json_patch(${discubotTimers.params}, ${patch})`, updatedBy: userId, updatedAt: new Date() })
    .where(eq(discubotTimers.name, name))
    .returning()
  return row
}
