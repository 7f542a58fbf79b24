// Pieces the collection queries share: text search, date ranges, paging and ordering.
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

export function offsetOf(page: number, pageSize: number) {
  return (page - 1) * pageSize
}
