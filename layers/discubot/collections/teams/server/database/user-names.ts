// Who did something, for the admin's "retried by" lines: names of users by id.
import { inArray } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { discubotUsers } from './schema'

export async function getDiscubotUserNames(ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await useDb().select({ id: discubotUsers.id, name: discubotUsers.name, email: discubotUsers.email })
    .from(discubotUsers).where(inArray(discubotUsers.id, ids))
  return new Map(rows.map(row => [row.id, `${row.name} (${row.email})`]))
}
