// kill -9 the built server while jobs sit in each of the six stages (held by the test-only holds
// compiled into the test build), restart it, and check the promise: every job completes, none is
// left processing, one task row per detected task, one reply per thread, no thread fetched twice
// for a completed stage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { closeDb, openServerDb } from '../support/db-file'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { postSlackEvent, slackAppMention } from '../standins/signing'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'

const SECRET = 'crash-test-signing-secret'
const CHANNEL = 'C0CRASH'
const HOLD_POINTS = [
  'ingestion:start',
  'config_loading:start',
  'thread_building:start',
  'ai_analysis:start',
  'task_creation:start',
  'task_creation:after-create',
  'notification:start',
  'notification:after-post',
]
/** Points after thread_building's checkpoint: resuming there must not fetch the thread again. */
const AFTER_THREAD = new Set(['ai_analysis:start', 'task_creation:start', 'task_creation:after-create', 'notification:start', 'notification:after-post'])
const UNHELD = 4

const THREAD_TEXT = [
  'The checkout CTA is hidden on small screens.',
  'Can you fix the checkout CTA on mobile?',
  'We need to update the onboarding docs before launch.',
  'TODO: add an analytics event for the new button',
]

let slack: SlackStandin
let server: ServerHandle | undefined

beforeAll(async () => {
  slack = await startSlackStandin({ pageSize: 50 })
  slack.state.addChannel(CHANNEL)
})

afterAll(async () => {
  closeDb()
  await server?.kill()
  await slack?.stop()
})

function env(holds: boolean): Record<string, string | undefined> {
  return {
    NUXT_SLACK_SIGNING_SECRET: SECRET,
    NUXT_SLACK_BOT_TOKEN: slack.state.token,
    NUXT_SLACK_API_URL: `${slack.url}/api/`,
    NUXT_WORKER_CONCURRENCY: String(HOLD_POINTS.length + 2),
    DISCUBOT_TEST_HOLDS: holds ? '1' : undefined,
  }
}

describe('kill -9 while jobs sit in every stage', () => {
  it('resumes every job after a restart and does nothing twice', async () => {
    server = await startServer({ env: env(true) })
    const threads: { rootTs: string, hold?: string }[] = []
    for (const hold of [...HOLD_POINTS, ...Array.from({ length: UNHELD }, () => undefined)]) {
      const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 6, text: i => THREAD_TEXT[i % THREAD_TEXT.length]! })
      threads.push({ rootTs, hold })
      const mention = slackAppMention({
        teamId: slack.state.teamId,
        channel: CHANNEL,
        threadTs: rootTs,
        botUserId: slack.state.botUserId,
        text: `<@${slack.state.botUserId}> please turn this into tasks${hold ? ` [hold:${hold}]` : ''}`,
      })
      const response = await postSlackEvent(server.url, mention, SECRET)
      expect(response.status).toBe(200)
    }
    for (const point of HOLD_POINTS) await server.waitForLog(new RegExp(`\\[test-hold\\] reached ${point}\\b`))

    const db = openServerDb(server.dbPath)
    expect((await db.select().from(discubotJobs).where(eq(discubotJobs.status, 'processing'))).length).toBeGreaterThanOrEqual(HOLD_POINTS.length)
    await server.kill('SIGKILL')
    const postsBeforeRestart = slack.state.posts.length

    const restartedAt = Date.now()
    server = await startServer({ dbPath: server.dbPath, port: server.port, env: env(false) })
    const jobs = await waitFor(async () => {
      const rows = await db.select().from(discubotJobs)
      return rows.length === threads.length && rows.every(job => job.status === 'completed') ? rows : undefined
    }, { timeoutMs: 60_000, message: 'every job to complete after the restart' })

    expect(jobs.filter(job => job.status === 'processing')).toEqual([])
    const stages = await db.select().from(discubotJobStages)
    const resumedAt = Math.min(...stages.flatMap(row => row.attemptLog.map(a => Date.parse(a.startedAt))).filter(at => at >= restartedAt))
    console.log(`[crash] jobs ${jobs.length}, killed with ${HOLD_POINTS.length} held mid-stage; restart → first resumed stage ${resumedAt - restartedAt} ms (server boot included)`)

    // One task row per detected task, each created once.
    const discussions = await db.select().from(discubotDiscussions)
    expect(discussions).toHaveLength(threads.length)
    for (const discussion of discussions) {
      const tasks = await db.select().from(discubotTasks).where(eq(discubotTasks.discussionId, discussion.id))
      expect(discussion.status).toBe('completed')
      expect(tasks.length).toBe(discussion.aiTasks!.length)
      expect(tasks.length).toBeGreaterThan(0)
      expect(tasks.every(task => task.status === 'created')).toBe(true)
    }

    // Exactly one reply per thread, the one held after posting included.
    const repliesPerThread = new Map<string, number>()
    for (const post of slack.state.posts) repliesPerThread.set(post.thread_ts!, (repliesPerThread.get(post.thread_ts!) ?? 0) + 1)
    for (const { rootTs } of threads) expect(repliesPerThread.get(rootTs)).toBe(1)
    expect(postsBeforeRestart).toBeGreaterThanOrEqual(1)

    // A thread whose thread_building had completed before the kill is not fetched again.
    const fetches = slack.calls('conversations.replies').filter(call => !call.args.include_all_metadata)
    for (const { rootTs, hold } of threads) {
      const threadFetches = fetches.filter(call => call.args.ts === rootTs)
      const pages = Math.ceil(6 / 50)
      if (hold && AFTER_THREAD.has(hold)) expect(threadFetches.length).toBe(pages)
      else expect(threadFetches.length).toBeGreaterThanOrEqual(pages)
    }
  })
})
