// Who did something, for the admin's "retried by" lines: names of users by id.
import { eq, inArray } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { discubotUsers } from './schema'

export async function getDiscubotUserNames(ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await useDb().select({ id: discubotUsers.id, name: discubotUsers.name, email: discubotUsers.email })
    .from(discubotUsers).where(inArray(discubotUsers.id, ids))
  return new Map(rows.map(row => [row.id, `${row.name} (${row.email})`]))
}

/** A user's name as a message names them ("Cancelled by Dana Lee"); undefined for an unknown id. */
export async function getDiscubotUserName(id: string): Promise<string | undefined> {
  const [row] = await useDb().select({ name: discubotUsers.name }).from(discubotUsers).where(eq(discubotUsers.id, id))
  return row?.name
}
