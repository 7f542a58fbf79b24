// The Notion target set up from the admin against the built server and the Notion stand-in, with
// only NUXT_NOTION_TOKEN set (no database, no Slack or Figma): the picker lists what the
// integration sees and honours `q`, the mapping is shown before anything runs and a wrong column
// type is refused before saving, "Add the Discubot ID column" adds it and the next job finds its
// page by it, "Check connection" reports a broken title mapping before any job runs, and Notion's
// refusals reach the page in words — never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { signInWhenReady, type AdminClient } from '../support/admin-client'
import { countRows, queryDbFile } from '../support/db-file'
import { watchRows } from '../support/row-snapshot'
import { createThenTimeout, ROUTES, startNotionStandin, stockTaskSchema, type NotionStandin } from '../standins/notion'

const ADMIN = { email: 'owner@example.com', password: 'notion-target-password' }
const TOKEN = 'ntn_target_e2e'
const CONVERSATION = [
  { author: 'Maya', text: '@Dana can you fix the checkout button overlap on mobile? This is urgent.' },
  { author: 'Dana', text: 'On it.' },
  { author: 'Lee', text: 'We need to update the onboarding docs before launch.' },
]

let notion: NotionStandin
let server: ServerHandle
let owner: AdminClient
let configId: string

beforeAll(async () => {
  notion = await startNotionStandin({ token: TOKEN })
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_NOTION_TOKEN: TOKEN,
      NUXT_NOTION_API_URL: notion.url,
    },
  })
  owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  const configs = await waitFor(async () => (await owner.call('/api/configs')).body.find((c: { sourceType: string }) => c.sourceType === 'manual'), { message: 'the Pasted conversations config' })
  configId = configs.id
})

afterAll(async () => {
  await server?.stop()
  await notion?.stop()
})

const jobsDone = () => waitFor(async () => Number((await queryDbFile(server.dbPath, `SELECT count(*) AS n FROM discubot_jobs WHERE status IN ('pending', 'processing')`))[0]!.n) === 0, { message: 'the queue to drain', timeoutMs: 60_000 })

describe('with only a Notion token', () => {
  it('the default team has a "Pasted conversations" config whose database is picked in the admin; the picker honours q', async () => {
    const config = (await owner.call('/api/configs')).body.find((c: { id: string }) => c.id === configId)
    expect(config).toMatchObject({ name: 'Pasted conversations', sourceType: 'manual', fromEnv: true, notionDatabaseId: null })

    expect((await owner.call(`/api/configs/${configId}/notion/databases`)).body).toEqual({ databases: [], truncated: false })
    const tasks = notion.state.addDatabase({ title: 'Team tasks' })
    const roadmap = notion.state.addDatabase({ title: 'Roadmap' })
    notion.state.addDatabase({ title: 'Private tasks', shared: false })

    const all = await owner.call(`/api/configs/${configId}/notion/databases`)
    expect(all.status).toBe(200)
    expect(all.body.databases.map((d: { title: string }) => d.title)).toEqual(['Roadmap', 'Team tasks'])
    const found = await owner.call(`/api/configs/${configId}/notion/databases?q=${encodeURIComponent('tasks')}`)
    expect(found.body.databases).toEqual([{ databaseId: tasks.id, dataSourceId: tasks.dataSourceId, title: 'Team tasks', url: expect.any(String) }])
    expect(notion.calls(ROUTES.search).at(-1)!.args).toMatchObject({ query: 'tasks', filter: { value: 'data_source' } })
    expect(roadmap.id).not.toBe(tasks.id)
  })

  it('shows the mapping of a picked database, refuses a status mapped to a number column before saving, then saves the pick', async () => {
    const database = notion.state.addDatabase({ title: 'Sprint board', properties: { ...stockTaskSchema(), Estimate: { type: 'number' } } })
    const view = await owner.call(`/api/configs/${configId}/notion/mapping?database=${encodeURIComponent(`https://www.notion.so/acme/Sprint-board-${database.id.replace(/-/g, '')}?v=1`)}`)
    expect(view.status).toBe(200)
    expect(view.body).toMatchObject({ database: { databaseId: database.id, title: 'Sprint board' }, saved: false, markerWarning: null })
    expect(Object.fromEntries(view.body.fields.map((f: { field: string, automatic: { name: string, type: string } | null }) => [f.field, f.automatic]))).toEqual({
      title: { name: 'Task name', type: 'title' },
      status: { name: 'Status', type: 'status' },
      priority: { name: 'Priority', type: 'select' },
      assignee: { name: 'Assignee', type: 'people' },
      sourceUrl: { name: 'Source', type: 'url' },
      dueDate: { name: 'Due date', type: 'date' },
      discubotId: { name: 'Discubot ID', type: 'rich_text' },
    })
    expect(view.body.columns).toContainEqual({ name: 'Estimate', type: 'number' })

    const rows = watchRows(server.dbPath, { tables: ['discubot_configs'] })
    try {
      const before = await rows.snapshot()
      const refused = await owner.call(`/api/configs/${configId}`, { method: 'PATCH', body: { notionDatabaseId: database.id, notionPropertyMap: { status: 'Estimate' } } })
      expect(refused.status).toBe(400)
      expect(refused.body.message).toBe('notionPropertyMap: The Notion property "Estimate" mapped to status is a Number property; status needs a Status or Select property')
      expect(await rows.snapshot()).toEqual(before)
    }
    finally {
      rows.close()
    }

    const saved = await owner.call(`/api/configs/${configId}`, { method: 'PATCH', body: { notionDatabaseId: database.id, notionPropertyMap: { priority: 'Priority' } } })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ notionDatabaseId: database.id, notionPropertyMap: { priority: 'Priority' } })
    const again = await owner.call(`/api/configs/${configId}/notion/mapping`)
    expect(again.body).toMatchObject({ saved: true, database: { databaseId: database.id } })
    expect(again.body.fields.find((f: { field: string }) => f.field === 'priority')).toMatchObject({ configured: 'Priority', column: { name: 'Priority' }, problem: null })
  })

  it('"Add the Discubot ID column" adds it, and the next job finds the page it created by it instead of creating it again', async () => {
    const database = notion.state.addDatabase({ title: 'No marker yet', marker: false })
    expect((await owner.call(`/api/configs/${configId}`, { method: 'PATCH', body: { notionDatabaseId: database.id, notionPropertyMap: null } })).status).toBe(200)
    const view = await owner.call(`/api/configs/${configId}/notion/mapping`)
    expect(view.body.markerWarning).toContain('no "Discubot ID" text property')

    const added = await owner.call(`/api/configs/${configId}/notion/marker`, { method: 'POST', body: {} })
    expect(added).toMatchObject({ status: 200, body: { added: true, column: 'Discubot ID' } })
    expect(database.properties['Discubot ID']).toMatchObject({ type: 'rich_text' })
    expect((await owner.call(`/api/configs/${configId}/notion/marker`, { method: 'POST', body: {} })).body).toEqual({ added: false, column: 'Discubot ID' })
    expect(notion.calls(ROUTES.updateDataSource)).toHaveLength(1)

    // The first create lands in Notion but answers after the client gave up: the retry must look it up.
    notion.faults.push(createThenTimeout(4000))
    const queued = await owner.call('/api/discussions', { method: 'POST', body: { title: 'Marker run', messages: CONVERSATION } })
    expect(queued.status).toBe(202)
    await jobsDone()
    const [job] = await queryDbFile(server.dbPath, 'SELECT status FROM discubot_jobs WHERE id = ?', [queued.body.jobId])
    expect(job).toMatchObject({ status: 'completed' })
    const pages = notion.state.pagesIn(database.id)
    expect(pages.map(p => notion.state.text(p, 'Task name')).sort()).toEqual(['Fix the checkout button overlap on mobile', 'Update the onboarding docs before launch'])
    const keys = (await queryDbFile(server.dbPath, 'SELECT idempotency_key AS key FROM discubot_tasks WHERE job_id = ?', [queued.body.jobId])).map(row => String(row.key))
    expect(pages.map(p => notion.state.text(p, 'Discubot ID')).sort()).toEqual(keys.sort())
    expect(notion.calls(ROUTES.query).some(r => (r.args.filter as { property?: string } | undefined)?.property === 'Discubot ID')).toBe(true)
  })

  it('"Check connection" reports a title mapping that no longer fits before any job runs', async () => {
    const database = notion.state.addDatabase({ title: 'Renamed later' })
    expect((await owner.call(`/api/configs/${configId}`, { method: 'PATCH', body: { notionDatabaseId: database.id, notionPropertyMap: { title: 'Task name' } } })).status).toBe(200)
    expect((await owner.call(`/api/configs/${configId}/check`, { method: 'POST' })).body.config.validationState).toBe('ok')

    // Someone renames the title column in Notion.
    const title = database.properties['Task name']!
    delete (database.properties as Record<string, unknown>)['Task name']
    database.properties.Ticket = { ...title, name: 'Ticket' }
    const jobs = await countRows(server.dbPath, 'discubot_jobs')
    const check = await owner.call(`/api/configs/${configId}/check`, { method: 'POST' })
    expect(check.status).toBe(200)
    expect(check.body.config).toMatchObject({ validationState: 'error', validationMessage: expect.stringContaining('"Task name" mapped to title does not exist in the database') })
    expect(check.body.findings).toEqual([{ state: 'error', message: expect.stringContaining('every job fails until then') }])
    expect(await countRows(server.dbPath, 'discubot_jobs')).toBe(jobs)
  })
})

describe('Notion refusals reach the page in words', () => {
  it('a revoked token and a missing capability are 422s saying what to do, and a search Notion cannot answer a 502', async () => {
    notion.state.token = 'ntn_rotated'
    const revoked = await owner.call(`/api/configs/${configId}/notion/databases`)
    expect(revoked.status).toBe(422)
    expect(revoked.body.message).toMatch(/^Notion refused the token: it was revoked or mistyped\. .*\(401 unauthorized\)/)
    notion.state.token = TOKEN

    notion.state.capabilities.readContent = false
    const restricted = await owner.call(`/api/configs/${configId}/notion/databases?q=x`)
    expect(restricted.status).toBe(422)
    expect(restricted.body.message).toContain('The integration may not read this content')
    notion.state.capabilities.readContent = true

    notion.state.capabilities.updateContent = false
    const unmarked = notion.state.addDatabase({ marker: false })
    const marker = await owner.call(`/api/configs/${configId}/notion/marker`, { method: 'POST', body: { database: unmarked.id } })
    expect(marker.status).toBe(422)
    expect(marker.body.message).toContain('lacks the "Update content" capability')
    expect(unmarked.properties['Discubot ID']).toBeUndefined()
    notion.state.capabilities.updateContent = true

    notion.faults.push({ kind: 'respond', route: ROUTES.search, status: 503, body: { object: 'error', status: 503, code: 'service_unavailable', message: 'Notion is unavailable, please try again later.' } })
    const down = await owner.call(`/api/configs/${configId}/notion/databases`)
    expect(down.status).toBe(502)
    expect(down.body.message).toContain('Try again in a moment')
  })

  it('refuses a mapping read or a database query that is not a Notion database, and another team\'s config is a 404', async () => {
    expect((await owner.call(`/api/configs/${configId}/notion/mapping?database=not-a-database`)).status).toBe(400)
    expect((await owner.call(`/api/configs/no-such-config/notion/databases`)).status).toBe(404)
    expect((await owner.call(`/api/configs/${configId}/notion/databases?q=${'x'.repeat(201)}`)).status).toBe(400)
  })
})
