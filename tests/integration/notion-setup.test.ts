// The setup side of a Notion target against the Notion stand-in (../shared/reference/notion-admin.md):
// the databases the integration can see, the "Discubot ID" column added through the API (and what
// the sink does with it next), and "Check connection" judging the mapping before any job runs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { addMarkerColumn, canReadNotionUsers, MAX_LISTED_DATABASES, readNotionTarget, searchNotionDatabases } from '#layers/discubot/server/sinks/notion/setup'
import { clearNotionCaches, forgetNotionTarget, notionTaskSink } from '#layers/discubot/server/sinks/notion/sink'
import { checkNotion } from '#layers/discubot/server/connections/checks/notion'
import { PermanentError } from '#layers/discubot/server/utils/errors'
import { OPERATOR_POLICY, TENANT_POLICY } from '#layers/discubot/server/utils/outbound'
import { resolveSettings } from '#layers/discubot/server/utils/settings'
import type { DiscubotConfig } from '#layers/discubot/collections/configs/server/database/schema'
import type { TaskIntent } from '#layers/discubot/server/sinks/types'
import type { NotionPropertyMap } from '#layers/discubot/shared/schemas'
import { ROUTES, startNotionStandin, stockTaskSchema, type NotionStandin } from '../standins/notion'
import { rejectionOf } from '../support/caught'

const TOKEN = 'ntn_setup_token'
let notion: NotionStandin
const connection = () => ({ token: TOKEN, apiUrl: notion.url, timeoutMs: 2000 })

beforeAll(async () => {
  notion = await startNotionStandin({ token: TOKEN })
})
afterAll(() => notion.stop())
beforeEach(() => {
  clearNotionCaches()
  notion.reset()
})

describe('the database picker', () => {
  it('lists the data sources shared with the integration, newest first, and honours the query', async () => {
    const tasks = notion.state.addDatabase({ title: 'Engineering tasks' })
    const roadmap = notion.state.addDatabase({ title: 'Roadmap' })
    notion.state.addDatabase({ title: 'Secret tasks', shared: false })

    const all = await searchNotionDatabases(connection(), '')
    expect(all).toEqual({
      truncated: false,
      databases: [
        { databaseId: roadmap.id, dataSourceId: roadmap.dataSourceId, title: 'Roadmap', url: expect.stringContaining(roadmap.id.replace(/-/g, '')) },
        { databaseId: tasks.id, dataSourceId: tasks.dataSourceId, title: 'Engineering tasks', url: expect.any(String) },
      ],
    })
    const [request] = notion.calls(ROUTES.search)
    expect(request!.args).toMatchObject({ filter: { property: 'object', value: 'data_source' }, page_size: 100 })

    expect((await searchNotionDatabases(connection(), 'task')).databases.map(d => d.title)).toEqual(['Engineering tasks'])
    expect((await searchNotionDatabases(connection(), 'nothing like it')).databases).toEqual([])
  })

  it('reads every page of the search up to its limit, then says there are more', async () => {
    for (let i = 0; i < MAX_LISTED_DATABASES + 5; i++) notion.state.addDatabase({ title: `Board ${i}` })
    const { databases, truncated } = await searchNotionDatabases(connection(), 'board')
    expect(databases).toHaveLength(MAX_LISTED_DATABASES)
    expect(truncated).toBe(true)
    expect(notion.calls(ROUTES.search)).toHaveLength(2)
  })

  it('a revoked token and a missing capability are permanent refusals naming the cause', async () => {
    const revoked = await rejectionOf(searchNotionDatabases({ ...connection(), token: 'ntn_revoked' }, ''))
    expect(revoked).toBeInstanceOf(PermanentError)
    expect(revoked).toMatchObject({ status: 401, code: 'unauthorized', message: 'Notion rejected the search (401 unauthorized): API token is invalid.' })
    notion.state.capabilities.readContent = false
    expect(await rejectionOf(searchNotionDatabases(connection(), ''))).toMatchObject({ status: 403, code: 'restricted_resource' })
  })

  it('reads a picked database (or a pasted data source id) with its title and columns', async () => {
    const database = notion.state.addDatabase({ title: 'Tasks' })
    for (const ref of [database.id, `https://www.notion.so/acme/Tasks-${database.id.replace(/-/g, '')}?v=1`, database.dataSourceId]) {
      const target = await readNotionTarget(connection(), ref)
      expect(target).toMatchObject({ databaseId: database.id, dataSourceId: database.dataSourceId, title: 'Tasks' })
      expect(Object.keys(target.schema.properties)).toEqual(Object.keys(stockTaskSchema()))
    }
  })
})

const intent = (key: string, title = 'Fix the checkout footer'): TaskIntent => ({
  taskId: key, idempotencyKey: key, title, description: '', priority: 'high', assignee: null, dueDate: null, sourceUrl: null, discussionTitle: 'Checkout',
})
const analysis = { summary: 'S', actionItems: [], tasks: [] }

describe('"Add the Discubot ID column"', () => {
  it('adds the text column when it is missing, and the next job finds pages by it', async () => {
    const database = notion.state.addDatabase({ marker: false })
    const sink = () => notionTaskSink({ connection: connection(), databaseId: database.id })
    // A page created before the column existed carries its marker in the body.
    const before = await sink().create(intent('d1:old'), analysis, {})

    expect(await addMarkerColumn(connection(), database.dataSourceId)).toEqual({ added: true, column: 'Discubot ID' })
    expect(database.properties['Discubot ID']).toMatchObject({ type: 'rich_text' })
    expect(notion.calls(ROUTES.updateDataSource)[0]!.args).toEqual({ properties: { 'Discubot ID': { rich_text: {} } } })
    forgetNotionTarget(TOKEN, database.id)

    const created = await sink().create(intent('d1:new', 'Add a regression test'), analysis, {})
    const page = notion.state.pagesIn(database.id).find(p => p.id === created.pageId)!
    expect(notion.state.text(page, 'Discubot ID')).toBe('d1:new')
    notion.requests.length = 0
    expect(await sink().findExisting(intent('d1:new', 'Add a regression test'), {})).toEqual(created)
    expect(notion.calls(ROUTES.query).map(r => r.args.filter)).toEqual([{ property: 'Discubot ID', rich_text: { equals: 'd1:new' } }])
    // The older page is still recognised by the marker in its body: nothing is created twice.
    expect(await sink().findExisting(intent('d1:old'), {})).toEqual(before)
    // Namesakes with their marker in the column are never opened: only pages from before the column may hide one in the body.
    for (const key of ['d1:a', 'd1:b', 'd1:c']) await sink().create(intent(key, 'Add a regression test'), analysis, {})
    notion.requests.length = 0
    expect(await sink().findExisting(intent('d1:none', 'Add a regression test'), {})).toBeNull()
    expect(notion.calls(ROUTES.blockChildren)).toHaveLength(0)
    expect(notion.calls(ROUTES.query)).toHaveLength(2)
  }, 20_000) // paced by the sink's 3 requests/s

  it('leaves a database that has it alone, and refuses to retype a column of that name', async () => {
    const database = notion.state.addDatabase()
    expect(await addMarkerColumn(connection(), database.dataSourceId)).toEqual({ added: false, column: 'Discubot ID' })
    const numbered = notion.state.addDatabase({ properties: { 'Name': { type: 'title' }, 'Discubot ID': { type: 'number' } } })
    expect((await rejectionOf(addMarkerColumn(connection(), numbered.dataSourceId))).message).toContain('already has a "Discubot ID" property of type Number')
    expect(notion.calls(ROUTES.updateDataSource)).toHaveLength(0)
    expect(numbered.properties['Discubot ID']!.type).toBe('number')
  })

  it('without the "Update content" capability: 403 restricted_resource, nothing changed', async () => {
    const database = notion.state.addDatabase({ marker: false })
    notion.state.capabilities.updateContent = false
    expect(await rejectionOf(addMarkerColumn(connection(), database.dataSourceId))).toMatchObject({ status: 403, code: 'restricted_resource' })
    expect(database.properties['Discubot ID']).toBeUndefined()
  })
})

describe('"Check connection" judges the mapping', () => {
  const settings = () => resolveSettings({ notionApiUrl: notion.url, httpTimeoutMs: 2000 })
  const config = (databaseId: string, map: NotionPropertyMap | null = null) => ({ notionDatabaseId: databaseId, notionPropertyMap: map }) as DiscubotConfig
  const check = (databaseId: string, map: NotionPropertyMap | null = null, policy = OPERATOR_POLICY) =>
    checkNotion({ config: config(databaseId, map), secrets: { notionToken: TOKEN }, settings: settings(), policy })

  it('a complete mapping is ok and names the columns tasks fill', async () => {
    const database = notion.state.addDatabase({ title: 'Tasks' })
    expect((await check(database.id)).findings).toEqual([{
      state: 'ok',
      message: 'Notion: database "Tasks" is reachable; tasks fill Title → "Task name", Status → "Status", Priority → "Priority", Assignee → "Assignee", Source link → "Source", Due date → "Due date", Discubot ID → "Discubot ID".',
    }])
  })

  it('reports a missing title mapping (and every other broken column) as an error before any job runs', async () => {
    const database = notion.state.addDatabase({ title: 'Tasks', properties: { ...stockTaskSchema(), Estimate: { type: 'number' } } })
    const { findings } = await check(database.id, { title: 'Ticket', status: 'Estimate' })
    expect(findings).toEqual([
      { state: 'error', message: 'Notion (database "Tasks"): The Notion property "Ticket" mapped to title does not exist in the database. Fix the mapping under "Notion target"; every job fails until then.' },
      { state: 'error', message: expect.stringContaining('"Estimate" mapped to status is a Number property; status needs a Status or Select property') },
    ])
    expect(notion.calls(ROUTES.createPage)).toHaveLength(0)
  })

  it('a database without a title column is an error; one without the marker column a warning', async () => {
    const untitled = notion.state.addDatabase({ properties: { Notes: { type: 'rich_text' } } })
    expect((await check(untitled.id)).findings).toEqual([{ state: 'error', message: expect.stringContaining('The Notion database has no title property') }])
    const unmarked = notion.state.addDatabase({ marker: false })
    const { findings } = await check(unmarked.id)
    expect(findings.map(f => f.state)).toEqual(['warning', 'ok'])
    expect(findings[0]!.message).toContain('no "Discubot ID" text property')
  })

  it('a People column without the user-information capability is a warning that says what to turn on', async () => {
    const database = notion.state.addDatabase()
    notion.state.capabilities.userInformation = 'none'
    expect(await canReadNotionUsers(connection())).toBe(false)
    const { findings } = await check(database.id)
    expect(findings[0]).toEqual({ state: 'warning', message: expect.stringContaining('"Assignee" is a Person column, but the integration cannot read user information') })
    notion.state.capabilities.userInformation = 'with_email'
    expect(await canReadNotionUsers(connection())).toBe(true)
  })

  it('a database not shared with the integration is an error that says how to share it', async () => {
    const hidden = notion.state.addDatabase({ shared: false })
    const { findings } = await check(hidden.id)
    expect(findings).toEqual([{ state: 'error', message: expect.stringMatching(/^Notion cannot find the database, or it is not shared with the integration: .*Connections.* Notion rejected the database \(404 object_not_found\)/) }])
  })

  it('a tenant without its own token never reaches the instance\'s Notion', async () => {
    const database = notion.state.addDatabase()
    const findings = await checkNotion({ config: config(database.id), secrets: {}, settings: resolveSettings({ notionApiUrl: notion.url, notionToken: TOKEN }), policy: TENANT_POLICY })
    expect(findings.findings).toEqual([{ state: 'warning', message: 'Notion: a database is set but no token, so tasks go to the local task list.' }])
    expect(notion.requests).toHaveLength(0)
  })
})
