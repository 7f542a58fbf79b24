// The Notion task sink against a local Notion API that validates pages like Notion does.
import { Client } from '@notionhq/client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clearNotionCaches, notionTaskSink, type NotionTarget } from '#layers/discubot/server/sinks/notion/sink'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import type { TaskIntent } from '#layers/discubot/server/sinks/types'
import type { Analysis } from '#layers/discubot/shared/schemas'
import {
  ROUTES, createThenTimeout, notionFault, notionOverloaded, notionRateLimited, notionServerError, startNotionStandin, type NotionStandin,
} from '../standins/notion'
import { dropConnection } from '../standins/http-standin'
import { rejectionOf } from '../support/caught'

let notion: NotionStandin
const TOKEN = 'ntn_test_token'

beforeAll(async () => {
  notion = await startNotionStandin({ token: TOKEN })
})
afterAll(() => notion.stop())
beforeEach(() => {
  clearNotionCaches()
  notion.reset()
})

const analysis: Analysis = {
  summary: 'Checkout CTA is hidden on mobile Safari; the team will fix the footer and add a regression test.',
  actionItems: ['Fix the sticky footer (Lee Park)', 'Add a visual regression test'],
  tasks: [],
}

function intent(overrides: Partial<TaskIntent> = {}): TaskIntent {
  return {
    taskId: 'task-1',
    idempotencyKey: 'disc-1:0a1b2c3d4e5f',
    title: 'Fix the sticky footer overlap',
    description: 'The footer covers the Pay now button on iOS.',
    priority: 'high',
    assignee: 'Lee Park',
    dueDate: '2026-12-04',
    sourceUrl: 'https://acme.slack.com/archives/C1/p1764001000000100',
    discussionTitle: 'Checkout CTA is cut off on mobile Safari',
    ...overrides,
  }
}

function sink(databaseId: string, overrides: Partial<NotionTarget> = {}) {
  return notionTaskSink({ connection: { token: TOKEN, apiUrl: notion.url, timeoutMs: 1000 }, databaseId, ...overrides })
}

describe('notion sink: creating pages', () => {
  it('creates one page in the database\'s data source, with properties mapped from the schema', async () => {
    const database = notion.state.addDatabase()
    const lee = notion.state.users.find(u => u.name === 'Lee Park')!
    const created = await sink(database.id).create(intent({ assigneeNotionUserId: lee.id }), analysis, {})

    const [page] = notion.state.pagesIn(database.id)
    expect(created).toEqual({ pageId: page!.id, url: page!.url })
    expect(page!.dataSourceId).toBe(database.dataSourceId)
    expect(notion.state.text(page!, 'Task name')).toBe('Fix the sticky footer overlap')
    expect(page!.properties.Status).toEqual({ status: { name: 'Not started' } })
    expect(page!.properties.Priority).toEqual({ select: { name: 'High' } })
    expect(page!.properties.Assignee).toEqual({ people: [{ object: 'user', id: lee.id }] })
    expect(page!.properties['Due date']).toEqual({ date: { start: '2026-12-04' } })
    expect(page!.properties.Source).toEqual({ url: 'https://acme.slack.com/archives/C1/p1764001000000100' })
    expect(notion.state.text(page!, 'Discubot ID')).toBe('disc-1:0a1b2c3d4e5f')
  })

  it('writes the summary, the action items as to-dos and a link back to the thread', async () => {
    const database = notion.state.addDatabase()
    await sink(database.id).create(intent(), analysis, {})
    const { children } = notion.state.pagesIn(database.id)[0]!
    const texts = children.map(b => JSON.stringify(b))
    expect(children.filter(b => b.type === 'to_do')).toHaveLength(2)
    expect(texts.some(t => t.includes('Checkout CTA is hidden on mobile Safari'))).toBe(true)
    expect(texts.some(t => t.includes('"url":"https://acme.slack.com/archives/C1/p1764001000000100"'))).toBe(true)
  })

  it('sends the bearer token and Notion-Version 2025-09-03 on every call, and reads the schema once', async () => {
    const database = notion.state.addDatabase()
    const target = sink(database.id)
    await target.create(intent(), analysis, {})
    await target.create(intent({ idempotencyKey: 'disc-1:second', title: 'Second task' }), analysis, {})
    for (const request of notion.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(request.headers['notion-version']).toBe('2025-09-03')
    }
    expect(notion.calls(ROUTES.database)).toHaveLength(1)
    expect(notion.calls(ROUTES.dataSource)).toHaveLength(1)
    expect(notion.calls(ROUTES.createPage)).toHaveLength(2)
  })

  it('splits long text into items of at most 2000 characters and keeps within 100 blocks', async () => {
    const database = notion.state.addDatabase()
    const long: Analysis = { summary: 'word '.repeat(799).trim(), actionItems: Array.from({ length: 100 }, (_, i) => `Item ${i}`), tasks: [] }
    await sink(database.id).create(intent({ description: 'x'.repeat(3500) }), long, {})
    const { children } = notion.state.pagesIn(database.id)[0]!
    expect(children.length).toBeLessThanOrEqual(100)
    expect(JSON.stringify(children)).toContain('more in Discubot')
  })

  it('uses the configured property map over discovery', async () => {
    const database = notion.state.addDatabase({
      properties: { Ticket: { type: 'title' }, Owner: { type: 'rich_text' }, Severity: { type: 'select', options: [] }, Key: { type: 'rich_text' } },
    })
    const target = sink(database.id, { propertyMap: { assignee: 'Owner', priority: 'Severity', discubotId: 'Key' } })
    await target.create(intent({ priority: 'urgent' }), analysis, {})
    const [page] = notion.state.pagesIn(database.id)
    expect(notion.state.text(page!, 'Ticket')).toBe('Fix the sticky footer overlap')
    expect(notion.state.text(page!, 'Owner')).toBe('Lee Park')
    expect(page!.properties.Severity).toEqual({ select: { name: 'Urgent' } })
    expect(notion.state.text(page!, 'Key')).toBe('disc-1:0a1b2c3d4e5f')
    expect(await target.findExisting(intent(), {})).toEqual({ pageId: page!.id, url: page!.url })
  })

  it('fails permanently when the map names a column that does not exist', async () => {
    const database = notion.state.addDatabase()
    const error = await rejectionOf(sink(database.id, { propertyMap: { assignee: 'Owner' } }).create(intent(), analysis, {}))
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toBe('The Notion property "Owner" mapped to assignee does not exist in the database')
    expect(notion.state.pages).toHaveLength(0)
  })

  it('lists every person of the workspace, page after page, without bots, for the People page', async () => {
    const original = [...notion.state.users]
    try {
      const [dana] = notion.state.crowd(149, { name: 'Dana Lee', email: 'dana.lee@acme.test', avatarUrl: 'https://notion.test/dana.png' }, { name: 'Tasks bot', email: '', type: 'bot' })
      const people = await sink(notion.state.addDatabase().id).people!.list({})
      expect(people).toHaveLength(150)
      expect(people.at(-1)).toEqual({ id: dana!.id, name: 'Dana Lee', email: 'dana.lee@acme.test', avatarUrl: 'https://notion.test/dana.png' })
      expect(notion.calls(ROUTES.users).map(call => call.query.start_cursor ?? null)).toEqual([null, expect.any(String)])
    }
    finally {
      notion.state.users.splice(0, notion.state.users.length, ...original)
    }
  })

  it('names the people listing by a hash of the token, never the token', () => {
    const key = sink('db').people!.key
    expect(key).toMatch(/^[0-9a-f]{16}$/)
    expect(TOKEN).not.toContain(key)
  })

  it('fills a People column only with the person the intent carries, and a text column with the name', async () => {
    const database = notion.state.addDatabase()
    await sink(database.id).create(intent({ assignee: 'Lee Park', assigneeNotionUserId: null }), analysis, {})
    expect(notion.state.pagesIn(database.id)[0]!.properties).not.toHaveProperty('Assignee')
    const text = notion.state.addDatabase({ properties: { 'Task': { type: 'title' }, 'Assignee': { type: 'rich_text' }, 'Discubot ID': { type: 'rich_text' } } })
    await sink(text.id).create(intent({ assignee: 'Dana Lee', assigneeNotionUserId: 'ignored-for-text' }), analysis, {})
    expect(notion.state.text(notion.state.pagesIn(text.id)[0]!, 'Assignee')).toBe('Dana Lee')
  })

  it('accepts the database as a URL, as people copy it from Notion', async () => {
    const database = notion.state.addDatabase()
    await sink(`https://www.notion.so/acme/Tasks-${database.id.replace(/-/g, '')}?v=0123456789abcdef0123456789abcdef`).create(intent(), analysis, {})
    expect(notion.state.pagesIn(database.id)).toHaveLength(1)
  })
})

describe('notion sink: finding earlier pages', () => {
  it('finds the page an earlier attempt created, by its marker', async () => {
    const database = notion.state.addDatabase()
    const created = await sink(database.id).create(intent(), analysis, {})
    clearNotionCaches()
    expect(await sink(database.id).findExisting(intent(), {})).toEqual(created)
    expect(await sink(database.id).findExisting(intent({ idempotencyKey: 'disc-1:other' }), {})).toBeNull()
    const [query] = notion.calls(ROUTES.query)
    expect(query!.args).toMatchObject({ filter: { property: 'Discubot ID', rich_text: { equals: 'disc-1:0a1b2c3d4e5f' } } })
  })

  it('without a "Discubot ID" column: marker in the body, a warning for the admin, lookup by title and body', async () => {
    const database = notion.state.addDatabase({ marker: false })
    const target = sink(database.id)
    const { warnings } = await target.prepare({})
    const created = await target.create(intent(), analysis, {})
    const [page] = notion.state.pagesIn(database.id)
    expect(JSON.stringify(page!.children)).toContain('Discubot ID: disc-1:0a1b2c3d4e5f')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('no "Discubot ID" text property')

    expect(await target.findExisting(intent(), {})).toEqual(created)
    expect(await target.findExisting(intent({ idempotencyKey: 'disc-1:other' }), {})).toBeNull()
  })

  it('exactly once: a create that Notion applied but the client never heard back about is found, not repeated', async () => {
    const database = notion.state.addDatabase()
    notion.faults.push(createThenTimeout(1500))
    const target = sink(database.id)
    const error = await rejectionOf(target.create(intent(), analysis, {}))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toContain('did not answer within 1000 ms')
    expect(notion.state.pagesIn(database.id)).toHaveLength(1)

    // The retry does what the engine does with a pre-existing intent: look first.
    const found = await target.findExisting(intent(), {})
    expect(found?.pageId).toBe(notion.state.pagesIn(database.id)[0]!.id)
    expect(notion.state.pagesIn(database.id)).toHaveLength(1)
  })
})

describe('notion sink: errors', () => {
  it('429 is transient with Retry-After, and the SDK does not retry on its own', async () => {
    const database = notion.state.addDatabase()
    notion.faults.push(notionRateLimited(ROUTES.createPage, 3))
    const error = await rejectionOf(sink(database.id).create(intent(), analysis, {}))
    expect(error).toBeInstanceOf(TransientError)
    expect((error as TransientError).retryAfterMs).toBe(3000)
    expect(error.message).toContain('429 rate_limited')
    expect(notion.requests.filter(r => r.route === ROUTES.createPage)).toHaveLength(1)
  })

  it('529 service_overload and 5xx are transient, never replayed by the SDK', async () => {
    const database = notion.state.addDatabase()
    notion.faults.push(notionOverloaded(ROUTES.createPage, 2), notionServerError(ROUTES.createPage, 503))
    const overloaded = await rejectionOf(sink(database.id).create(intent(), analysis, {}))
    expect(overloaded).toBeInstanceOf(TransientError)
    expect((overloaded as TransientError).retryAfterMs).toBe(2000)
    expect(await rejectionOf(sink(database.id).create(intent(), analysis, {}))).toBeInstanceOf(TransientError)
    clearNotionCaches()
    notion.faults.push(notionServerError(ROUTES.database, 500))
    const unavailable = await rejectionOf(sink(database.id).create(intent(), analysis, {}))
    expect(unavailable).toBeInstanceOf(TransientError)
    expect(unavailable.message).toContain('500 internal_server_error')
    expect(notion.requests.filter(r => r.route === ROUTES.createPage)).toHaveLength(2)
  })

  it('a dropped connection is transient', async () => {
    const database = notion.state.addDatabase()
    notion.faults.push(dropConnection(ROUTES.query))
    const error = await rejectionOf(sink(database.id).findExisting(intent(), {}))
    expect(error).toBeInstanceOf(TransientError)
  })

  it('validation_error is permanent and carries Notion\'s message', async () => {
    const database = notion.state.addDatabase()
    notion.faults.push(notionFault(ROUTES.createPage, 400, 'validation_error', 'Priority is expected to be select.'))
    const error = await rejectionOf(sink(database.id).create(intent(), analysis, {}))
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toBe('Notion rejected the page (400 validation_error): Priority is expected to be select.')
  })

  it('a bad token is permanent (401 unauthorized), an unshared database too (404)', async () => {
    const database = notion.state.addDatabase()
    const badToken = notionTaskSink({ connection: { token: 'ntn_wrong', apiUrl: notion.url, timeoutMs: 1000 }, databaseId: database.id })
    const unauthorized = await rejectionOf(badToken.create(intent(), analysis, {}))
    expect(unauthorized).toBeInstanceOf(PermanentError)
    expect(unauthorized.message).toBe('Notion rejected the database (401 unauthorized): API token is invalid.')

    const missing = await rejectionOf(sink('5c6a28216bb14a7eb6e1c50111515c3d').create(intent(), analysis, {}))
    expect(missing).toBeInstanceOf(PermanentError)
    expect(missing.message).toMatch(/^Notion rejected the database \(404 object_not_found\): Could not find database/)
  })
})

describe('notion stand-in', () => {
  it('validates property values against the schema like Notion (400 validation_error)', async () => {
    const database = notion.state.addDatabase()
    const client = new Client({ auth: TOKEN, baseUrl: notion.url, retry: false })
    const create = (properties: Record<string, unknown>) => client.pages.create({ parent: { data_source_id: database.dataSourceId }, properties } as never)
    await expect(create({ Priority: { rich_text: [] } })).rejects.toMatchObject({ status: 400, code: 'validation_error', message: 'Priority is expected to be select.' })
    await expect(create({ Status: { status: { name: 'Blocked' } } })).rejects.toMatchObject({ code: 'validation_error' })
    await expect(create({ Nope: { url: null } })).rejects.toMatchObject({ message: 'Nope is not a property that exists.' })
    await expect(create({ 'Task name': { title: [{ text: { content: 'x'.repeat(2001) } }] } })).rejects.toMatchObject({ code: 'validation_error' })
    expect(notion.state.pages).toHaveLength(0)
  })

  it('requires Notion-Version', async () => {
    const response = await fetch(`${notion.url}/v1/users`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'missing_version' })
  })
})
