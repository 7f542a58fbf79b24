// Pieces the collection queries share: text search, date ranges, paging, ordering and the team scope of id lookups.
import { and, asc, desc, gte, lt, like, or, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

type Searchable = SQLiteColumn | SQL

/** `LIKE %q%` with the user's `%`, `_` and `\` taken literally. */
export function containsText(columns: Searchable[], q: string | undefined): SQL | undefined {
  if (!q) return undefined
  const pattern = `%${q.replace(/[\\%_]/g, m => `\\${m}`)}%`
  return or(...columns.map(column => sql`${like(column, pattern)} ESCAPE '\\'`))
}

export function dateRange(column: SQLiteColumn, from?: Date, to?: Date): SQL | undefined {
  return and(from ? gte(column, from) : undefined, to ? lt(column, to) : undefined)
}

export function ordering(column: SQLiteColumn, order: 'asc' | 'desc', tieBreaker: SQLiteColumn) {
  return order === 'asc' ? [asc(column), asc(tieBreaker)] : [desc(column), desc(tieBreaker)]
}

/**
 * The team scope of a lookup by ids. `+column` keeps SQLite from driving the lookup through a
 * (team_id, …) index: without table statistics the planner guesses an equality on team_id
 * matches ~10 rows, so from 5 ids on it scanned every row of the team (120 ms at 100k jobs)
 * instead of probing the unique index once per id (bench/README.md, admin queries).
 */
export function inTeam(column: SQLiteColumn, teamId: string): SQL {
  return sql`+${column} = ${teamId}`
}

export function offsetOf(page: number, pageSize: number) {
  return (page - 1) * pageSize
}
