// Which Notion column gets which task field, and the page body Discubot writes.
import { describe, expect, it } from 'vitest'
import { readDataSourceSchema, resolveMapping } from '#layers/discubot/server/sinks/notion/mapping'
import { initialStatus, isoDate, pageBlocks, pageProperties, priorityOption, splitText } from '#layers/discubot/server/sinks/notion/page-content'
import { PermanentError } from '#layers/discubot/server/utils/errors'
import type { TaskIntent } from '#layers/discubot/server/sinks/types'

const opt = (id: string, name: string) => ({ id, name, color: 'default' })
const schema = (properties: Record<string, Record<string, unknown>>) => readDataSourceSchema('ds-1', Object.fromEntries(
  Object.entries(properties).map(([name, p]) => [name, { id: name.slice(0, 3), name, ...p }]),
))

const stock = schema({
  'Name': { type: 'title', title: {} },
  'Status': { type: 'status', status: { options: [opt('a', 'Not started'), opt('b', 'In progress'), opt('c', 'Done')], groups: [{ name: 'To-do', option_ids: ['a'] }, { name: 'Complete', option_ids: ['c'] }] } },
  'Priority': { type: 'select', select: { options: [opt('l', 'Low'), opt('m', 'Medium'), opt('h', 'High')] } },
  'Assignee': { type: 'people', people: {} },
  'Deadline': { type: 'date', date: {} },
  'Thread': { type: 'url', url: {} },
  'Discubot ID': { type: 'rich_text', rich_text: {} },
  'Notes': { type: 'rich_text', rich_text: {} },
})

const intent: TaskIntent = {
  taskId: 't1', idempotencyKey: 'd1:abc', title: 'Fix the footer', description: 'It covers the button.', priority: 'urgent',
  assignee: 'Owner Person', assigneeNotionUserId: 'user-1', dueDate: '2026-12-01', sourceUrl: 'https://acme.slack.com/archives/C1/p1', discussionTitle: 'Checkout',
}

describe('resolveMapping', () => {
  it('discovers a stock task database by type and name', () => {
    const mapping = resolveMapping(stock, null)
    expect(mapping).toMatchObject({
      title: 'Name', status: { name: 'Status', type: 'status' }, priority: { name: 'Priority', type: 'select' },
      assignee: { name: 'Assignee', type: 'people' }, dueDate: { name: 'Deadline' }, sourceUrl: { name: 'Thread' }, discubotId: { name: 'Discubot ID' }, warnings: [],
    })
  })

  it('leaves out what the database does not have, and warns when the marker column is missing', () => {
    const mapping = resolveMapping(schema({ Task: { type: 'title', title: {} }, Notes: { type: 'rich_text', rich_text: {} } }), null)
    expect(mapping).toEqual({ title: 'Task', status: undefined, priority: undefined, assignee: undefined, sourceUrl: undefined, dueDate: undefined, discubotId: undefined, warnings: [expect.stringContaining('no "Discubot ID" text property')] })
  })

  it('honours the configured names and rejects a wrong type or a missing column', () => {
    expect(resolveMapping(stock, { assignee: 'Notes', discubotId: 'notes' })).toMatchObject({ assignee: { name: 'Notes', type: 'rich_text' }, discubotId: { name: 'Notes' } })
    expect(() => resolveMapping(stock, { dueDate: 'Notes' })).toThrow(PermanentError)
    expect(() => resolveMapping(stock, { dueDate: 'Notes' })).toThrow('is a Text property; dueDate needs a Date property')
    expect(() => resolveMapping(stock, { title: 'Notes' })).toThrow('not the database\'s title property')
  })
})

describe('property values', () => {
  it('maps every field to the value type of its column', () => {
    const mapping = resolveMapping(stock, null)
    const properties = pageProperties(mapping, intent)
    expect(properties).toEqual({
      'Name': { title: [{ type: 'text', text: { content: 'Fix the footer', link: null } }] },
      'Status': { status: { name: 'Not started' } },
      'Priority': { select: { name: 'High' } },
      'Assignee': { people: [{ object: 'user', id: 'user-1' }] },
      'Deadline': { date: { start: '2026-12-01' } },
      'Thread': { url: 'https://acme.slack.com/archives/C1/p1' },
      'Discubot ID': { rich_text: [{ type: 'text', text: { content: 'd1:abc', link: null } }] },
    })
  })

  it('leaves out a people column without a mapped person, and a due date that is not ISO', () => {
    const properties = pageProperties(resolveMapping(stock, null), { ...intent, assigneeNotionUserId: null, dueDate: 'Friday' })
    expect(properties).not.toHaveProperty('Assignee')
    expect(properties).not.toHaveProperty('Deadline')
  })

  it('picks a status to start in and a priority option by name', () => {
    const status = resolveMapping(stock, null).status!
    expect(initialStatus(status)?.name).toBe('Not started')
    expect(initialStatus({ ...status, groups: undefined, options: [opt('x', 'Backlog'), opt('y', 'Shipped')] })?.name).toBe('Backlog')
    const select = { name: 'P', type: 'select' as const, options: [opt('0', 'P0 - Critical'), opt('1', 'P1'), opt('2', 'P2')] }
    expect(priorityOption(select, 'urgent')).toEqual({ name: 'P0 - Critical' })
    expect(priorityOption(select, 'medium')).toEqual({ name: 'P2' })
    expect(priorityOption(select, 'low')).toEqual({ name: 'Low' })
    expect(priorityOption({ ...select, type: 'status' }, 'low')).toBeUndefined()
  })

  it('accepts ISO dates and date-times only', () => {
    expect(isoDate('2026-12-01')).toBe('2026-12-01')
    expect(isoDate('2026-12-01T09:30:00Z')).toBe('2026-12-01T09:30:00Z')
    expect(isoDate('next Friday')).toBeUndefined()
    expect(isoDate('2026-13-45')).toBeUndefined()
  })
})

describe('page body', () => {
  it('splits text at word boundaries into chunks of at most 2000 characters', () => {
    const chunks = splitText('lorem ipsum '.repeat(500))
    expect(chunks.length).toBeGreaterThanOrEqual(3)
    expect(chunks.slice(1).every(c => c.startsWith(' '))).toBe(true)
    expect(chunks.every(c => c.length <= 2000)).toBe(true)
    expect(chunks.join('')).toBe('lorem ipsum '.repeat(500))
  })

  it('has the marker line only when there is no marker column', () => {
    const analysis = { summary: 'S', actionItems: ['A'], tasks: [] }
    const text = (markerInBody: boolean) => JSON.stringify(pageBlocks(intent, analysis, { markerInBody }))
    expect(text(true)).toContain('Discubot ID: d1:abc')
    expect(text(false)).not.toContain('Discubot ID')
  })
})
