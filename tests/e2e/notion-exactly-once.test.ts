// kill -9 the built server right after the Notion stand-in created a task page and before the task
// row recorded it, restart, and check the promise: exactly one Notion page per detected task. The
// model and Notion are stand-ins speaking their real protocols; Slack delivers the mention.
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotJobs } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { closeDb, openServerDb } from '../support/db-file'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { postSlackEvent, slackAppMention } from '../standins/signing'
import { ANTHROPIC_ROUTE, startModelStandin, type ModelStandin } from '../standins/model'
import { ROUTES, startNotionStandin, type NotionStandin, type NotionStandinDatabase } from '../standins/notion'

const SECRET = 'notion-e2e-signing-secret'
const CHANNEL = 'C0NOTION'
const THREAD_TEXT = [
  'The checkout CTA is hidden on small screens.',
  'Can you fix the checkout CTA on mobile?',
  'We need to update the onboarding docs before launch.',
  'TODO: add an analytics event for the new button',
]
const EXPECTED_TITLES = ['Add an analytics event for the new button', 'Fix the checkout CTA on mobile', 'Update the onboarding docs before launch']

let slack: SlackStandin
let notion: NotionStandin
let model: ModelStandin
let server: ServerHandle | undefined

beforeAll(async () => {
  [slack, notion, model] = await Promise.all([startSlackStandin(), startNotionStandin(), startModelStandin()])
  slack.state.addChannel(CHANNEL)
})

afterAll(async () => {
  closeDb()
  await server?.kill()
  await Promise.all([slack?.stop(), notion?.stop(), model?.stop()])
})

function env(database: NotionStandinDatabase, holds: boolean): Record<string, string | undefined> {
  return {
    NUXT_SLACK_SIGNING_SECRET: SECRET,
    NUXT_SLACK_BOT_TOKEN: slack.state.token,
    NUXT_SLACK_API_URL: `${slack.url}/api/`,
    NUXT_NOTION_TOKEN: notion.state.token,
    NUXT_NOTION_DATABASE_ID: database.id,
    NUXT_NOTION_API_URL: notion.url,
    NUXT_ANTHROPIC_API_KEY: model.state.apiKey,
    NUXT_ANTHROPIC_BASE_URL: model.url,
    DISCUBOT_TEST_HOLDS: holds ? '1' : undefined,
  }
}

async function mention(rootTs: string, suffix = '') {
  const response = await postSlackEvent(server!.url, slackAppMention({
    teamId: slack.state.teamId,
    channel: CHANNEL,
    threadTs: rootTs,
    botUserId: slack.state.botUserId,
    text: `<@${slack.state.botUserId}> please turn this into tasks${suffix}`,
  }), SECRET)
  expect(response.status).toBe(200)
}

/** Kills the server at the hold after the first page was created, restarts it, waits for the job. */
async function crashAfterFirstPage(database: NotionStandinDatabase) {
  server = await startServer({ env: env(database, true) })
  const { rootTs } = slack.state.seedThread(CHANNEL, { messages: THREAD_TEXT.length, text: i => THREAD_TEXT[i]! })
  await mention(rootTs, ' [hold:task_creation:after-create]')
  await server.waitForLog(/\[test-hold\] reached task_creation:after-create\b/)

  const db = openServerDb(server.dbPath)
  expect(notion.state.pagesIn(database.id)).toHaveLength(1)
  const [pending] = await db.select().from(discubotTasks)
  expect(pending).toMatchObject({ status: 'pending', notionPageId: null })
  await server.kill('SIGKILL')

  server = await startServer({ dbPath: server.dbPath, port: server.port, env: env(database, false) })
  const [job] = await waitFor(async () => {
    const jobs = await db.select().from(discubotJobs)
    return jobs.length === 1 && jobs[0]!.status === 'completed' ? jobs : undefined
  }, { timeoutMs: 60_000, message: 'the job to complete after the restart' })
  return { db, job: job!, rootTs }
}

async function expectOnePagePerTask(db: ReturnType<typeof openServerDb>, database: NotionStandinDatabase) {
  const tasks = await db.select().from(discubotTasks)
  const pages = notion.state.pagesIn(database.id)
  expect(tasks.map(t => t.title).sort()).toEqual(EXPECTED_TITLES)
  expect(pages.map(p => notion.state.text(p, 'Task name')).sort()).toEqual(EXPECTED_TITLES)
  expect(tasks.every(t => t.status === 'created')).toBe(true)
  expect(new Set(tasks.map(t => t.notionPageId))).toEqual(new Set(pages.map(p => p.id)))
  return { tasks, pages }
}

describe('Notion pages survive kill -9 exactly once', () => {
  it('with a "Discubot ID" column: the page created before the crash is found by its marker', async () => {
    const database = notion.state.addDatabase()
    const { db, job } = await crashAfterFirstPage(database)
    const { tasks, pages } = await expectOnePagePerTask(db, database)
    for (const task of tasks) {
      const page = pages.find(p => p.id === task.notionPageId)!
      expect(notion.state.text(page, 'Discubot ID')).toBe(task.idempotencyKey)
    }
    // The resume looked the pending intent up (one marker query) instead of creating it again.
    expect(notion.calls(ROUTES.query).length).toBeGreaterThanOrEqual(1)
    // The analysis was checkpointed before the crash: the model was asked once.
    expect(model.calls(ANTHROPIC_ROUTE)).toHaveLength(1)
    const [discussion] = await db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, job.discussionId!))
    expect(discussion).toMatchObject({ status: 'completed', notionTaskIds: expect.arrayContaining(tasks.map(t => t.id)) })
    // One reply in the thread, listing the Notion pages.
    const replies = slack.state.posts.filter(p => p.channel === CHANNEL)
    expect(replies).toHaveLength(1)
    for (const page of pages) expect(replies[0]!.text).toContain(page.url)
  })

  it('a later mention of the same thread creates no new pages', async () => {
    const database = [...notion.state.databases.values()][0]!
    const before = notion.state.pagesIn(database.id).length
    const db = openServerDb(server!.dbPath)
    const [{ rootTs }] = [{ rootTs: slack.state.posts.at(-1)!.thread_ts! }]
    await mention(rootTs)
    await waitFor(async () => {
      const jobs = await db.select().from(discubotJobs)
      return jobs.length === 2 && jobs.every(j => j.status === 'completed')
    }, { timeoutMs: 30_000, message: 'the second job to complete' })
    expect(notion.state.pagesIn(database.id)).toHaveLength(before)
    await server!.kill('SIGKILL')
    closeDb()
  })

  it('without a "Discubot ID" column: found by title and the marker in the page body', async () => {
    const database = notion.state.addDatabase({ marker: false })
    const { db } = await crashAfterFirstPage(database)
    const { pages } = await expectOnePagePerTask(db, database)
    for (const page of pages) expect(JSON.stringify(page.children)).toContain('Discubot ID: ')
  })
})
