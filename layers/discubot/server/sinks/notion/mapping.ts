// Which Notion column receives which task field. Columns named in the config's property map win;
// the rest are discovered from the data source's schema by type and name, so a stock Notion
// database works without any configuration.
import { PermanentError } from '../../utils/errors'
import type { NotionPropertyMap } from '../../../shared/schemas'
import { columnProblem, MARKER_PROPERTY, NOTION_FIELDS, type NotionField } from '../../../shared/notion-fields'

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

type Field = Exclude<NotionField, 'title'>

/** Names that suggest each field, for the automatic mapping (the types come from shared/notion-fields). */
const NAMES: Record<Field, RegExp> = {
  status: /^(status|state|stage)$/i,
  priority: /^(priority|prio|urgency|importance)$/i,
  assignee: /^(assignee|assignees|assigned to|assigned|owner|responsible)$/i,
  sourceUrl: /^(source( url| link)?|thread( url| link)?|link|url|discussion( url| link)?)$/i,
  dueDate: /^(due( date)?|deadline|due by|date)$/i,
  discubotId: /^(discubot[ _-]?(id|key))$/i,
}

/** One field's column: the one the config names, else the one found by type and name; or why neither works. */
export interface FieldColumn {
  column?: NotionPropertySchema
  /** What is wrong with the configured column; the run fails with it. */
  problem?: string
}

function columnByName(schema: DataSourceSchema, name: string): NotionPropertySchema | undefined {
  return schema.properties[name] ?? Object.values(schema.properties).find(c => c.name.toLowerCase() === name.toLowerCase())
}

/** The column the automatic mapping gives `field`: the first of its types whose name suggests it. */
export function automaticColumn(schema: DataSourceSchema, field: NotionField): NotionPropertySchema | undefined {
  const columns = Object.values(schema.properties)
  if (field === 'title') return columns.find(c => c.type === 'title')
  for (const type of NOTION_FIELDS[field].types) {
    const found = columns.find(c => c.type === type && NAMES[field].test(c.name.trim()))
    if (found) return found
  }
  // A lone url column is the source link, whatever its name.
  if (field === 'sourceUrl') {
    const urls = columns.filter(c => c.type === 'url')
    if (urls.length === 1) return urls[0]
  }
  return undefined
}

export function fieldColumn(schema: DataSourceSchema, field: NotionField, configured: NotionPropertyMap | null | undefined): FieldColumn {
  const name = configured?.[field]
  if (!name) {
    const column = automaticColumn(schema, field)
    return column || field !== 'title' ? { column } : { problem: 'The Notion database has no title property' }
  }
  const column = columnByName(schema, name)
  const problem = columnProblem(field, name, column)
  return problem ? { problem } : { column }
}

export const MARKER_WARNING = `The Notion database has no "${MARKER_PROPERTY}" text property: Discubot writes its marker into the page body instead and, after a crash, finds earlier pages by title and body (slower). Add a Text property named "${MARKER_PROPERTY}" to look them up directly.`

export function resolveMapping(schema: DataSourceSchema, configured: NotionPropertyMap | null | undefined): NotionMapping {
  const pick = (field: NotionField) => {
    const { column, problem } = fieldColumn(schema, field, configured)
    if (problem) throw new PermanentError(problem, { service: 'Notion', code: 'property_map' })
    return column
  }
  const choice = (column: NotionPropertySchema | undefined): ChoiceColumn | undefined => column && {
    name: column.name, type: column.type as ChoiceColumn['type'], options: column.options ?? [], groups: column.groups,
  }
  const named = (column: NotionPropertySchema | undefined) => column && { name: column.name }
  const title = pick('title')!
  const assignee = pick('assignee')
  const discubotId = named(pick('discubotId'))
  return {
    title: title.name,
    status: choice(pick('status')),
    priority: choice(pick('priority')),
    assignee: assignee && { name: assignee.name, type: assignee.type as 'rich_text' | 'people' },
    sourceUrl: named(pick('sourceUrl')),
    dueDate: named(pick('dueDate')),
    discubotId,
    warnings: discubotId ? [] : [MARKER_WARNING],
  }
}

/** The column each field goes to, with its type, as a job writes them. */
export function mappedColumns(mapping: NotionMapping): Record<NotionField, { name: string, type: string } | undefined> {
  return {
    title: { name: mapping.title, type: 'title' },
    status: mapping.status,
    priority: mapping.priority,
    assignee: mapping.assignee,
    sourceUrl: mapping.sourceUrl && { name: mapping.sourceUrl.name, type: 'url' },
    dueDate: mapping.dueDate && { name: mapping.dueDate.name, type: 'date' },
    discubotId: mapping.discubotId && { name: mapping.discubotId.name, type: 'rich_text' },
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
