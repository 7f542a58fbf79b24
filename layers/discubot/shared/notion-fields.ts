// The task fields Discubot writes into a Notion database and the column types that can hold each.
// The run-time mapping (server/sinks/notion/mapping.ts), the API that saves a property map and the
// mapping editor on the Sources page all ask here, so the three never disagree on what fits.
import type { NotionPropertyMap } from './schemas'

export type NotionField = keyof NotionPropertyMap

export interface NotionFieldRule {
  label: string
  /** Acceptable column types, best first. */
  types: readonly string[]
  /** What the field holds, for the mapping editor. */
  holds: string
}

export const NOTION_FIELDS: Record<NotionField, NotionFieldRule> = {
  title: { label: 'Title', types: ['title'], holds: 'the task title' },
  status: { label: 'Status', types: ['status', 'select'], holds: 'the open state a new task starts in' },
  priority: { label: 'Priority', types: ['select', 'status'], holds: 'urgent, high, medium or low, matched to the column\'s options' },
  assignee: { label: 'Assignee', types: ['rich_text', 'people'], holds: 'who the thread names (a People column needs the user-information capability)' },
  sourceUrl: { label: 'Source link', types: ['url'], holds: 'a link back to the discussion' },
  dueDate: { label: 'Due date', types: ['date'], holds: 'the date the thread states' },
  discubotId: { label: 'Discubot ID', types: ['rich_text'], holds: 'the task\'s marker, so a retry finds the page instead of creating it twice' },
}

/** The order the editor lists them in. */
export const NOTION_FIELD_ORDER = Object.keys(NOTION_FIELDS) as NotionField[]

/** The name of the marker column Discubot looks for (and adds, when asked). */
export const MARKER_PROPERTY = 'Discubot ID'

const TYPE_LABELS: Record<string, string> = {
  title: 'Title', rich_text: 'Text', number: 'Number', select: 'Select', multi_select: 'Multi-select', status: 'Status',
  date: 'Date', people: 'Person', files: 'Files', checkbox: 'Checkbox', url: 'URL', email: 'Email', phone_number: 'Phone',
  formula: 'Formula', relation: 'Relation', rollup: 'Rollup', created_time: 'Created time', created_by: 'Created by',
  last_edited_time: 'Last edited time', last_edited_by: 'Last edited by', unique_id: 'ID', button: 'Button', verification: 'Verification',
}

/** A column type as Notion's own UI names it ("rich_text" → "Text"). */
export function notionTypeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type
}

export interface NotionColumnRef {
  name: string
  type: string
}

/**
 * Why the column named `name` cannot hold `field` (it does not exist, or its type does not fit), in
 * a sentence an admin can act on; null when it can.
 */
export function columnProblem(field: NotionField, name: string, column: NotionColumnRef | undefined): string | null {
  if (!column) return `The Notion property "${name}" mapped to ${field} does not exist in the database`
  if (field === 'title' && column.type !== 'title') return `The Notion property "${name}" mapped to title is not the database's title property`
  const { types } = NOTION_FIELDS[field]
  if (types.includes(column.type)) return null
  return `The Notion property "${column.name}" mapped to ${field} is a ${notionTypeLabel(column.type)} property; ${field} needs a ${types.map(notionTypeLabel).join(' or ')} property`
}

/** What a task would write into one field's column (the dry run shows these). */
export interface FieldFill {
  field: NotionField
  /** The column, or null when the database has none for this field (nothing is written). */
  column: string | null
  type: string | null
  /** The value as people read it; null when the column stays empty. */
  value: string | null
}
