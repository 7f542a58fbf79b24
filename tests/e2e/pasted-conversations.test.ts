// POST /api/discussions and its dry run against the built server, the Notion stand-in, and Slack
// and Figma stand-ins that must hear nothing: a pasted conversation of 30 messages becomes a
// completed job with its tasks in Notion and no reply attempted anywhere; the preview writes no
// row (every table hashed before and after); bad input is a 4xx naming the problem.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { callApi, createTeamWithUser, signIn, signInWhenReady, withServerDb, type AdminClient } from '../support/admin-client'
import { queryDbFile } from '../support/db-file'
import { watchRows } from '../support/row-snapshot'
import { startNotionStandin, type NotionStandin, type NotionStandinDatabase } from '../standins/notion'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'

const ADMIN = { email: 'owner@example.com', password: 'pasted-e2e-password' }
const OTHER = { email: 'other-owner@example.com', password: 'other-owner-password', role: 'owner' as const }
const TOKEN = 'ntn_pasted_e2e'

/** 30 messages from three people; three of them ask for work. */
function thirtyMessages() {
  const people = ['Maya', 'Dana', 'Lee']
  const asks: Record<number, string> = {
    4: '@Dana can you fix the checkout button overlap on mobile? This is urgent.',
    15: 'We need to update the onboarding docs before launch.',
    27: 'TODO: add an analytics event for the new button',
  }
  return Array.from({ length: 30 }, (_, i) => ({ author: people[i % 3]!, text: asks[i] ?? `Status note ${i + 1}: looked at the footer again.` }))
}
const TITLES = ['Add an analytics event for the new button', 'Fix the checkout button overlap on mobile', 'Update the onboarding docs before launch']

let notion: NotionStandin
let slack: SlackStandin
let figma: FigmaStandin
let server: ServerHandle
let owner: AdminClient
let database: NotionStandinDatabase

beforeAll(async () => {
  [notion, slack, figma] = await Promise.all([startNotionStandin({ token: TOKEN }), startSlackStandin(), startFigmaStandin()])
  database = notion.state.addDatabase({ title: 'Tasks' })
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_NOTION_TOKEN: TOKEN,
      NUXT_NOTION_DATABASE_ID: database.id,
      NUXT_NOTION_API_URL: notion.url,
      // Reachable, so a reply attempt would show in their request logs.
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_FIGMA_API_URL: figma.url,
    },
  })
  owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
})

afterAll(async () => {
  await server?.stop()
  await Promise.all([notion?.stop(), slack?.stop(), figma?.stop()])
})

const jobOf = async (jobId: string) => (await queryDbFile(server.dbPath, 'SELECT status, stage, source_type AS sourceType, discussion_id AS discussionId FROM discubot_jobs WHERE id = ?', [jobId]))[0]

describe('a pasted conversation', () => {
  it('30 messages: 202 with the job and discussion, then a completed job, its tasks in Notion, and no reply attempted anywhere', async () => {
    const answer = await owner.call('/api/discussions', { method: 'POST', body: { title: 'Checkout triage', messages: thirtyMessages() } })
    expect(answer.status).toBe(202)
    expect(answer.body).toEqual({ jobId: expect.any(String), discussionId: expect.any(String), created: true })
    const { jobId, discussionId } = answer.body as { jobId: string, discussionId: string }

    const job = await waitFor(async () => {
      const row = await jobOf(jobId)
      return row?.status === 'completed' || row?.status === 'failed' ? row : undefined
    }, { timeoutMs: 60_000, message: 'the pasted conversation\'s job to finish' })
    expect(job).toMatchObject({ status: 'completed', sourceType: 'manual', discussionId })

    const detail = await owner.call(`/api/jobs/${jobId}`)
    expect(detail.body.stages.map((s: { stage: string, status: string }) => `${s.stage}:${s.status}`)).toEqual([
      'ingestion:completed', 'config_loading:completed', 'thread_building:completed', 'ai_analysis:completed', 'task_creation:completed', 'notification:completed',
    ])
    const outputs = Object.fromEntries(detail.body.stages.map((s: { stage: string, output: unknown }) => [s.stage, s.output]))
    expect(outputs).toMatchObject({ thread_building: { messages: 30 }, task_creation: { created: 3, sink: 'notion' }, notification: { skipped: expect.stringContaining('No thread to reply to') } })

    const discussion = await owner.call(`/api/discussions/${discussionId}`)
    expect(discussion.body.discussion).toMatchObject({ sourceType: 'manual', status: 'completed', title: 'Checkout triage', aiSummary: expect.stringContaining('3 action items') })
    expect(discussion.body.discussion.threadData.messages).toHaveLength(30)
    expect(discussion.body.tasks.map((t: { title: string }) => t.title).sort()).toEqual(TITLES)
    const pages = notion.state.pagesIn(database.id)
    expect(pages.map(p => notion.state.text(p, 'Task name')).sort()).toEqual(TITLES)
    expect(discussion.body.tasks.map((t: { notionPageUrl: string }) => t.notionPageUrl).sort()).toEqual(pages.map(p => p.url).sort())
    expect(pages.every(p => (p.properties.Source as { url: string }).url === `${server.url}/discussions/${discussionId}`)).toBe(true)

    expect(slack.requests).toEqual([])
    expect(figma.requests).toEqual([])
  })

  it('a double submit is one job', async () => {
    const body = { messages: [{ author: 'Ana', text: 'Please rotate the staging database password.' }] }
    const [a, b] = await Promise.all([owner.call('/api/discussions', { method: 'POST', body }), owner.call('/api/discussions', { method: 'POST', body })])
    expect([a.status, b.status]).toEqual([202, 202])
    expect(b.body.jobId).toBe(a.body.jobId)
    expect(b.body.discussionId).toBe(a.body.discussionId)
    expect((await queryDbFile(server.dbPath, 'SELECT count(*) AS n FROM discubot_jobs WHERE discussion_id = ?', [a.body.discussionId]))[0]!.n).toBe(1)
  })
})

describe('the preview', () => {
  it('answers the analysis and the columns each task would fill, and writes no row and no page', async () => {
    await waitFor(async () => Number((await queryDbFile(server.dbPath, `SELECT count(*) AS n FROM discubot_jobs WHERE status IN ('pending', 'processing')`))[0]!.n) === 0, { message: 'the queue to drain' })
    const pagesBefore = notion.state.pages.length
    const rows = watchRows(server.dbPath)
    try {
      const before = await rows.snapshot()
      const preview = await owner.call('/api/discussions/preview', { method: 'POST', body: { title: 'Dry run', messages: thirtyMessages().map(m => ({ ...m, text: m.text.replace('checkout', 'payment') })) } })
      expect(preview.status).toBe(200)
      expect(preview.body).toMatchObject({ analyzer: 'offline', sink: 'notion', config: expect.objectContaining({ name: 'Pasted conversations' }) })
      expect(preview.body.tasks).toHaveLength(3)
      const fix = preview.body.tasks.find((t: { title: string }) => t.title.startsWith('Fix'))
      expect(Object.fromEntries(fix.fills.map((f: { field: string, column: string, value: string }) => [f.field, [f.column, f.value]]))).toMatchObject({
        title: ['Task name', 'Fix the payment button overlap on mobile'],
        status: ['Status', 'Not started'],
        priority: ['Priority', 'High'],
        // A People column: pasted names are text, so no Notion person (as in the real run).
        assignee: ['Assignee', null],
      })
      expect(await rows.snapshot()).toEqual(before)
    }
    finally {
      rows.close()
    }
    expect(notion.state.pages.length).toBe(pagesBefore)
  })
})

describe('bad input changes nothing', () => {
  it('an empty paste is a 400 "paste at least one message"; too many messages or bytes name the limit', async () => {
    const rows = watchRows(server.dbPath)
    try {
      const before = await rows.snapshot()
      const empty = await owner.call('/api/discussions', { method: 'POST', body: { messages: [] } })
      expect(empty).toMatchObject({ status: 400, body: { message: 'Conversation: messages: paste at least one message' } })
      const blank = await owner.call('/api/discussions/preview', { method: 'POST', body: { messages: [{ author: 'Ana', text: '   ' }] } })
      expect(blank).toMatchObject({ status: 400, body: { message: 'Conversation: messages: paste at least one message' } })
      const many = await owner.call('/api/discussions', { method: 'POST', body: { messages: Array.from({ length: 5001 }, () => ({ author: 'A', text: 'x' })) } })
      expect(many).toMatchObject({ status: 400, body: { message: 'Conversation: messages: at most 5,000 messages per conversation' } })
      const huge = await owner.call('/api/discussions', { method: 'POST', body: { messages: [{ author: 'A', text: 'x'.repeat(1_100_000) }] } })
      expect(huge).toMatchObject({ status: 413, body: { message: 'Request body is larger than 1048576 bytes' } })
      const notAConversation = await callApi(server, '/api/discussions', { method: 'POST', cookie: owner.cookie, body: 'just text' })
      expect(notAConversation.status).toBe(400)
      expect(await rows.snapshot()).toEqual(before)
    }
    finally {
      rows.close()
    }
  })

  it('a config of another team is a 404, for the run and for the preview', async () => {
    await withServerDb(server, () => createTeamWithUser('other', OTHER))
    const other = await signIn(server, OTHER.email, OTHER.password)
    const theirs = await other.call('/api/configs', { method: 'POST', body: { sourceType: 'manual', name: 'Their pastes' } })
    expect(theirs.status).toBe(201)
    for (const path of ['/api/discussions', '/api/discussions/preview']) {
      const answer = await owner.call(path, { method: 'POST', body: { configId: theirs.body.id, messages: thirtyMessages() } })
      expect(answer, path).toMatchObject({ status: 404, body: { message: 'Source config not found' } })
    }
    // Their own conversation, with their own config: the instance's Notion target and model are
    // the operator's, so a tenant gets the offline analyzer and its local task list.
    const own = await other.call('/api/discussions/preview', { method: 'POST', body: { messages: thirtyMessages() } })
    expect(own.body).toMatchObject({ config: { name: 'Their pastes' }, analyzer: 'offline', sink: 'local' })
  })
})
