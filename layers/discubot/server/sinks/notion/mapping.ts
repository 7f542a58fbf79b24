// Which Notion column receives which task field. Columns named in the config's property map win;
// the rest are discovered from the data source's schema by type and name, so a stock Notion
// database works without any configuration.
import { PermanentError } from '../../utils/errors'
import type { NotionPropertyMap } from '../../../shared/schemas'

export interface NotionOption {
  id: string
  name: string
}

export interface NotionPropertySchema {
  id: string
  name: string
  type: string
  options?: NotionOption[]
  /** Status properties group their options ("To-do", "In progress", "Complete"). */
  groups?: { name: string, option_ids: string[] }[]
}

export interface DataSourceSchema {
  dataSourceId: string
  properties: Record<string, NotionPropertySchema>
}

export interface ChoiceColumn {
  name: string
  type: 'status' | 'select'
  options: NotionOption[]
  groups?: NotionPropertySchema['groups']
}

export interface NotionMapping {
  title: string
  status?: ChoiceColumn
  priority?: ChoiceColumn
  assignee?: { name: string, type: 'rich_text' | 'people' }
  sourceUrl?: { name: string }
  dueDate?: { name: string }
  /** The rich_text column holding the idempotency marker; absent → the marker goes in the page body. */
  discubotId?: { name: string }
  /** What an admin should know about this mapping (shown as the config's validation message). */
  warnings: string[]
}

export const MARKER_PROPERTY = 'Discubot ID'

type Field = keyof NotionPropertyMap

/** Acceptable column types per field, best first, and names that suggest the field. */
const FIELDS: Record<Exclude<Field, 'title'>, { types: string[], names: RegExp }> = {
  status: { types: ['status', 'select'], names: /^(status|state|stage)$/i },
  priority: { types: ['select', 'status'], names: /^(priority|prio|urgency|importance)$/i },
  assignee: { types: ['rich_text', 'people'], names: /^(assignee|assignees|assigned to|assigned|owner|responsible)$/i },
  sourceUrl: { types: ['url'], names: /^(source( url| link)?|thread( url| link)?|link|url|discussion( url| link)?)$/i },
  dueDate: { types: ['date'], names: /^(due( date)?|deadline|due by|date)$/i },
  discubotId: { types: ['rich_text'], names: /^(discubot[ _-]?(id|key))$/i },
}

export function resolveMapping(schema: DataSourceSchema, configured: NotionPropertyMap | null | undefined): NotionMapping {
  const columns = Object.values(schema.properties)
  const byName = (name: string) => schema.properties[name] ?? columns.find(c => c.name.toLowerCase() === name.toLowerCase())

  const pick = (field: Exclude<Field, 'title'>): NotionPropertySchema | undefined => {
    const { types, names } = FIELDS[field]
    const name = configured?.[field]
    if (name) {
      const column = byName(name)
      if (!column) throw new PermanentError(`The Notion property "${name}" mapped to ${field} does not exist in the database`, { service: 'Notion', code: 'property_map' })
      if (!types.includes(column.type)) throw new PermanentError(`The Notion property "${name}" mapped to ${field} is a ${column.type} property; expected ${types.join(' or ')}`, { service: 'Notion', code: 'property_map' })
      return column
    }
    for (const type of types) {
      const found = columns.find(c => c.type === type && names.test(c.name.trim()))
      if (found) return found
    }
    // A lone url column is the source link, whatever its name.
    if (field === 'sourceUrl') {
      const urls = columns.filter(c => c.type === 'url')
      if (urls.length === 1) return urls[0]
    }
    return undefined
  }

  const titleColumn = configured?.title ? byName(configured.title) : columns.find(c => c.type === 'title')
  if (!titleColumn || titleColumn.type !== 'title') {
    throw new PermanentError(configured?.title
      ? `The Notion property "${configured.title}" mapped to title is not the database's title property`
      : 'The Notion database has no title property', { service: 'Notion', code: 'property_map' })
  }

  const choice = (column: NotionPropertySchema | undefined): ChoiceColumn | undefined => column && {
    name: column.name, type: column.type as ChoiceColumn['type'], options: column.options ?? [], groups: column.groups,
  }
  const named = (column: NotionPropertySchema | undefined) => column && { name: column.name }
  const assignee = pick('assignee')
  const discubotId = named(pick('discubotId'))
  const warnings: string[] = []
  if (!discubotId) {
    warnings.push(`The Notion database has no "${MARKER_PROPERTY}" text property: Discubot writes its marker into the page body instead and, after a crash, finds earlier pages by title and body (slower). Add a Text property named "${MARKER_PROPERTY}" to look them up directly.`)
  }
  return {
    title: titleColumn.name,
    status: choice(pick('status')),
    priority: choice(pick('priority')),
    assignee: assignee && { name: assignee.name, type: assignee.type as 'rich_text' | 'people' },
    sourceUrl: named(pick('sourceUrl')),
    dueDate: named(pick('dueDate')),
    discubotId,
    warnings,
  }
}

/** Reads the properties of a `GET /v1/data_sources/:id` answer into the shape above. */
export function readDataSourceSchema(dataSourceId: string, properties: Record<string, unknown>): DataSourceSchema {
  const out: Record<string, NotionPropertySchema> = {}
  for (const [key, raw] of Object.entries(properties)) {
    const value = raw as Record<string, unknown>
    const type = typeof value.type === 'string' ? value.type : 'unknown'
    const config = value[type] as { options?: NotionOption[], groups?: NotionPropertySchema['groups'] } | undefined
    out[key] = {
      id: typeof value.id === 'string' ? value.id : key,
      name: typeof value.name === 'string' ? value.name : key,
      type,
      options: config?.options?.map(o => ({ id: o.id, name: o.name })),
      groups: config?.groups,
    }
  }
  return { dataSourceId, properties: out }
}
