// The one set of rules the mapping editor, the API that saves a property map and the run-time
// mapping share (shared/notion-fields.ts), and the dry run's view of what a page would hold.
import { describe, expect, it } from 'vitest'
import { columnProblem, NOTION_FIELD_ORDER } from '#layers/discubot/shared/notion-fields'
import { automaticColumn, fieldColumn, readDataSourceSchema, resolveMapping } from '#layers/discubot/server/sinks/notion/mapping'
import { fieldFills } from '#layers/discubot/server/sinks/notion/page-content'
import type { TaskIntent } from '#layers/discubot/server/sinks/types'

const opt = (id: string, name: string) => ({ id, name, color: 'default' })
const schema = readDataSourceSchema('ds-1', {
  'Task name': { id: 'a', name: 'Task name', type: 'title', title: {} },
  'Status': { id: 'b', name: 'Status', type: 'status', status: { options: [opt('s1', 'Not started'), opt('s2', 'Done')], groups: [{ name: 'To-do', option_ids: ['s1'] }] } },
  'Estimate': { id: 'c', name: 'Estimate', type: 'number', number: {} },
  'Severity': { id: 'd', name: 'Severity', type: 'select', select: { options: [opt('p1', 'P1'), opt('p2', 'P2')] } },
  'Owner': { id: 'e', name: 'Owner', type: 'people', people: {} },
  'Link': { id: 'f', name: 'Link', type: 'url', url: {} },
})

describe('what a column can hold', () => {
  it('refuses a status field mapped to a number column, naming both types', () => {
    expect(columnProblem('status', 'Estimate', { name: 'Estimate', type: 'number' }))
      .toBe('The Notion property "Estimate" mapped to status is a Number property; status needs a Status or Select property')
    expect(columnProblem('status', 'Status', { name: 'Status', type: 'status' })).toBeNull()
    expect(columnProblem('assignee', 'Owner', { name: 'Owner', type: 'people' })).toBeNull()
  })

  it('refuses a column that is not there, and a title mapped to anything but the title column', () => {
    expect(columnProblem('dueDate', 'Deadline', undefined)).toBe('The Notion property "Deadline" mapped to dueDate does not exist in the database')
    expect(columnProblem('title', 'Link', { name: 'Link', type: 'url' })).toBe('The Notion property "Link" mapped to title is not the database\'s title property')
  })
})

describe('field by field', () => {
  it('gives each field the automatic column unless the map names one, and says what is wrong with a bad one', () => {
    expect(automaticColumn(schema, 'priority')).toBeUndefined()
    expect(automaticColumn(schema, 'sourceUrl')?.name).toBe('Link')
    expect(fieldColumn(schema, 'priority', { priority: 'Severity' }).column?.name).toBe('Severity')
    expect(fieldColumn(schema, 'status', { status: 'estimate' })).toEqual({ problem: expect.stringContaining('is a Number property') })
    expect(fieldColumn(readDataSourceSchema('ds-2', {}), 'title', null)).toEqual({ problem: 'The Notion database has no title property' })
  })

  it('the dry run shows the value each column would get, and nothing for a field without a column', () => {
    const intent: TaskIntent = { taskId: 't', idempotencyKey: 'k-1', title: 'Fix the footer', description: '', priority: 'high', assignee: 'Dana Kim', dueDate: '2026-12-01', sourceUrl: 'https://discubot.test/discussions/d1', discussionTitle: 'Checkout' }
    const mapping = resolveMapping(schema, { priority: 'Severity' })
    const fills = fieldFills(mapping, { ...intent, assigneeNotionUserId: 'u-1' })
    expect(fills.map(f => f.field)).toEqual(NOTION_FIELD_ORDER)
    expect(Object.fromEntries(fills.map(f => [f.field, [f.column, f.value]]))).toEqual({
      title: ['Task name', 'Fix the footer'],
      status: ['Status', 'Not started'],
      priority: ['Severity', 'P1'],
      assignee: ['Owner', 'Dana Kim'],
      sourceUrl: ['Link', 'https://discubot.test/discussions/d1'],
      dueDate: [null, null],
      discubotId: [null, null],
    })
    // No Notion person mapped on the People page: the People column stays empty, and the dry run says so.
    expect(fieldFills(mapping, intent).find(f => f.field === 'assignee')).toEqual({ field: 'assignee', column: 'Owner', type: 'people', value: null })
  })
})
