// The request body of one task page: property values in the types the columns expect, and body
// blocks within Notion's limits (2000 characters per text item, 100 blocks per request).
import type { TaskPriority } from '../../../shared/domain'
import type { Analysis } from '../../../shared/schemas'
import { NOTION_FIELD_ORDER, type FieldFill } from '../../../shared/notion-fields'
import type { TaskIntent } from '../types'
import { mappedColumns, type ChoiceColumn, type NotionMapping, type NotionOption } from './mapping'

export const TEXT_LIMIT = 2000
const MAX_BLOCKS = 100
const MAX_RICH_TEXT_ITEMS = 100

type RichText = { type: 'text', text: { content: string, link: { url: string } | null } }
export type Block = Record<string, unknown> & { object: 'block', type: string }

/** Text in chunks Notion accepts; splits at whitespace when it can so words stay whole. */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  const chunks: string[] = []
  let rest = text
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(' ', limit)
    if (cut < limit / 2) cut = limit
    chunks.push(rest.slice(0, cut))
    rest = rest.slice(cut)
  }
  if (rest.length || chunks.length === 0) chunks.push(rest)
  return chunks
}

export function richText(content: string, link?: string | null): RichText[] {
  return splitText(content).slice(0, MAX_RICH_TEXT_ITEMS).map(chunk => ({
    type: 'text', text: { content: chunk, link: link && isLinkable(link) ? { url: link } : null },
  }))
}

export function isLinkable(url: string): boolean {
  return url.length <= TEXT_LIMIT && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)
}

/** An ISO date (or date-time) Notion's date property accepts; anything else is left out. */
export function isoDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(trimmed)) return undefined
  return Number.isNaN(Date.parse(trimmed)) ? undefined : trimmed
}

const OPEN_STATUS = /^(not started|to ?-?do|backlog|open|new|inbox|triage)$/i
const PRIORITY_NAMES: Record<TaskPriority, string[]> = {
  urgent: ['urgent', 'critical', 'highest', 'p0', 'asap', 'blocker'],
  high: ['high', 'p1', 'important'],
  medium: ['medium', 'normal', 'p2', 'moderate'],
  low: ['low', 'p3', 'lowest', 'minor'],
}

/** The option a new task starts in: the first of the status's "To-do" group, or an open-sounding option. */
export function initialStatus(column: ChoiceColumn): NotionOption | undefined {
  const todoGroup = column.groups?.find(g => /^to-?do$|not started/i.test(g.name))
  const fromGroup = todoGroup && column.options.find(o => todoGroup.option_ids.includes(o.id))
  return fromGroup ?? column.options.find(o => OPEN_STATUS.test(o.name.trim()))
}

/** When a column has no option for a priority, the nearest one it has (Low/Medium/High has no "Urgent"). */
const PRIORITY_FALLBACK: Record<TaskPriority, TaskPriority[]> = { urgent: ['urgent', 'high'], high: ['high'], medium: ['medium'], low: ['low'] }

/** The column's option for a priority; a select without a fitting option gets a new one (Notion adds it), a status cannot. */
export function priorityOption(column: ChoiceColumn, priority: TaskPriority): { name: string } | undefined {
  const normalized = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '')
  for (const level of PRIORITY_FALLBACK[priority]) {
    const wanted = PRIORITY_NAMES[level]
    const found = wanted.map(w => column.options.find(o => normalized(o.name) === w)).find(Boolean)
      ?? column.options.find(o => wanted.some(w => normalized(o.name).includes(w)))
    if (found) return { name: found.name }
  }
  return column.type === 'select' ? { name: priority[0]!.toUpperCase() + priority.slice(1) } : undefined
}

function choiceValue(column: ChoiceColumn, option: { name: string } | undefined) {
  if (!option) return undefined
  return column.type === 'status' ? { status: { name: option.name } } : { select: { name: option.name } }
}

export function pageProperties(mapping: NotionMapping, intent: TaskIntent): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    [mapping.title]: { title: richText(intent.title) },
  }
  const set = (name: string | undefined, value: unknown) => {
    if (name && value !== undefined) properties[name] = value
  }
  if (mapping.status) set(mapping.status.name, choiceValue(mapping.status, initialStatus(mapping.status)))
  if (mapping.priority) set(mapping.priority.name, choiceValue(mapping.priority, priorityOption(mapping.priority, intent.priority)))
  if (mapping.assignee && intent.assignee) {
    if (mapping.assignee.type === 'rich_text') set(mapping.assignee.name, { rich_text: richText(intent.assignee) })
    // Only a person the People page maps (../shared/reference/notion-admin.md §4: the id, nothing else).
    else set(mapping.assignee.name, intent.assigneeNotionUserId ? { people: [{ object: 'user', id: intent.assigneeNotionUserId }] } : undefined)
  }
  if (mapping.sourceUrl && intent.sourceUrl && isLinkable(intent.sourceUrl)) set(mapping.sourceUrl.name, { url: intent.sourceUrl })
  const due = isoDate(intent.dueDate)
  if (mapping.dueDate && due) set(mapping.dueDate.name, { date: { start: due } })
  if (mapping.discubotId) set(mapping.discubotId.name, { rich_text: richText(intent.idempotencyKey) })
  return properties
}

type PropertyValue = {
  title?: RichText[]
  rich_text?: RichText[]
  status?: { name: string }
  select?: { name: string }
  people?: { id: string }[]
  url?: string
  date?: { start: string }
}

/** A property value as people read it (a People value by the assignee's name the intent carries). */
function readable(value: PropertyValue | undefined, intent: TaskIntent): string | null {
  if (!value) return null
  const text = value.title ?? value.rich_text
  if (text) return text.map(part => part.text.content).join('')
  const choice = value.status ?? value.select
  if (choice) return choice.name
  if (value.people) return intent.assignee ?? value.people.map(person => person.id).join(', ')
  return value.url ?? value.date?.start ?? null
}

/** What `pageProperties` writes, field by field and as people read it: the dry run's view of a page. */
export function fieldFills(mapping: NotionMapping, intent: TaskIntent): FieldFill[] {
  const properties = pageProperties(mapping, intent) as Record<string, PropertyValue>
  const columns = mappedColumns(mapping)
  return NOTION_FIELD_ORDER.map((field) => {
    const column = columns[field]
    return { field, column: column?.name ?? null, type: column?.type ?? null, value: column ? readable(properties[column.name], intent) : null }
  })
}

const block = (type: string, content: Record<string, unknown>): Block => ({ object: 'block', type, [type]: content })
const paragraphs = (text: string): Block[] => splitText(text).map(chunk => block('paragraph', { rich_text: richText(chunk) }))
const heading = (text: string): Block => block('heading_2', { rich_text: richText(text) })

/** The marker line written into the body when the database has no marker column. */
export function bodyMarker(idempotencyKey: string): string {
  return `Discubot ID: ${idempotencyKey}`
}

export function pageBlocks(intent: TaskIntent, analysis: Analysis, options: { markerInBody: boolean }): Block[] {
  const details = [
    `Priority: ${intent.priority}`,
    intent.assignee ? `Assignee: ${intent.assignee}` : null,
    intent.dueDate ? `Due: ${intent.dueDate}` : null,
  ].filter(Boolean).join(' · ')

  const head: Block[] = [
    ...(intent.description.trim() ? paragraphs(intent.description) : []),
    block('paragraph', { rich_text: richText(details) }),
  ]
  const summary: Block[] = analysis.summary.trim() ? [heading('Discussion summary'), ...paragraphs(analysis.summary)] : []
  const source: Block[] = [
    heading('Source'),
    block('paragraph', {
      rich_text: intent.sourceUrl && isLinkable(intent.sourceUrl)
        ? richText(intent.discussionTitle || 'Open the discussion', intent.sourceUrl)
        : richText(intent.discussionTitle || 'The discussion'),
    }),
  ]
  const marker: Block[] = options.markerInBody ? [block('paragraph', { rich_text: richText(bodyMarker(intent.idempotencyKey)) })] : []

  // Action items take whatever room the fixed parts leave, with a note for the rest.
  const room = MAX_BLOCKS - head.length - summary.length - source.length - marker.length - 2
  const items = analysis.actionItems.filter(item => item.trim())
  const shown = items.length > room ? items.slice(0, Math.max(0, room - 1)) : items
  const actions: Block[] = items.length === 0
    ? []
    : [
        heading('Action items'),
        ...shown.map(item => block('to_do', { rich_text: richText(item), checked: false })),
        ...(shown.length < items.length ? paragraphs(`… and ${items.length - shown.length} more in Discubot.`) : []),
      ]
  return [...head, ...summary, ...actions, ...source, ...marker].slice(0, MAX_BLOCKS)
}
