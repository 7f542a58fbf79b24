// Column helpers every collection schema uses, so audit columns, ids, enum CHECKs and JSON
// validation read the same everywhere.
import { customType, integer, text, check } from 'drizzle-orm/sqlite-core'
import { sql, type SQL } from 'drizzle-orm'
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { z } from 'zod'

export const newId = () => crypto.randomUUID()

export const idColumn = () => text('id').primaryKey().$defaultFn(newId)

export const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' })

export const auditColumns = () => ({
  createdBy: text('created_by').notNull(),
  updatedBy: text('updated_by').notNull(),
  createdAt: timestamp('created_at').notNull().$defaultFn(() => new Date()),
  updatedAt: timestamp('updated_at').notNull().$defaultFn(() => new Date()).$onUpdateFn(() => new Date()),
})

/**
 * A TEXT column holding JSON that is validated by `schema` on every write, so malformed data
 * is rejected before it reaches the database (the CHECK from `jsonCheck` guards raw SQL writes).
 */
export function jsonColumn<S extends z.ZodType>(name: string, schema: S) {
  return customType<{ data: z.output<S>, driverData: string }>({
    dataType: () => 'text',
    toDriver: value => JSON.stringify(schema.parse(value)),
    fromDriver: value => JSON.parse(value) as z.output<S>,
  })(name)
}

function literalList(values: readonly string[]): SQL {
  return sql.raw(values.map(v => `'${v.replaceAll('\'', '\'\'')}'`).join(', '))
}

export const enumCheck = (name: string, column: AnySQLiteColumn, values: readonly string[]) =>
  check(name, sql`${column} IN (${literalList(values)})`)

export const nullableEnumCheck = (name: string, column: AnySQLiteColumn, values: readonly string[]) =>
  check(name, sql`${column} IS NULL OR ${column} IN (${literalList(values)})`)

export const jsonCheck = (name: string, column: AnySQLiteColumn) =>
  check(name, sql`${column} IS NULL OR json_valid(${column})`)

/** JSON as it will be stored: drops `undefined` members, which z.json() (rightly) rejects. */
export function plainJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value)) as T
}
