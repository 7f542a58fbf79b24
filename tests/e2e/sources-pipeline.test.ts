// Whole discussions through the built server and its engine, with Slack and Figma played by the
// stand-ins: a 250-message Slack thread read in 3 pages and answered once with task links; a run
// through rate limits, 5xx, a dropped connection and a reply whose answer came too late (posted
// once all the same); a permanent Slack error failing the job with its cause; a Figma thread.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { startSourcesServer, type SourcesServer } from '../support/sources-server'
import type { SlackStandin } from '../standins/slack'
import type { FigmaStandin } from '../standins/figma'
import { dropConnection, rateLimited, serverError, slowAnswer } from '../standins/http-standin'
import { figmaFileComment, postFigmaEvent, postSlackEvent, slackAppMention } from '../standins/signing'

const CHANNEL = 'C0PIPE'
const HTTP_TIMEOUT_MS = 3000

let sources: SourcesServer
let slack: SlackStandin
let figma: FigmaStandin
let server: ServerHandle
let SECRET: string
let PASSCODE: string

beforeAll(async () => {
  sources = await startSourcesServer({ slack: { pageSize: 100 }, env: { NUXT_HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS) } })
  ;({ slack, figma, server, signingSecret: SECRET, passcode: PASSCODE } = sources)
  slack.state.addChannel(CHANNEL)
})

afterAll(() => sources?.stop())

interface JobRow {
  id: string
  status: string
  stage: string
  error: string | null
  discussion_id: string | null
}

async function finishedJob(sourceThreadId: string, timeoutMs = 60_000): Promise<JobRow> {
  return waitFor(async () => {
    const [row] = await queryDbFile(server.dbPath, `SELECT id, status, stage, error, discussion_id FROM discubot_jobs WHERE json_extract(payload, '$.sourceThreadId') = ?`, [sourceThreadId])
    return row && (row.status === 'completed' || row.status === 'failed') ? row as unknown as JobRow : undefined
  }, { timeoutMs, message: `job of ${sourceThreadId} to finish` })
}

async function stageAttempts(jobId: string): Promise<Record<string, number>> {
  const rows = await queryDbFile(server.dbPath, 'SELECT stage, attempts FROM discubot_job_stages WHERE job_id = ?', [jobId])
  return Object.fromEntries(rows.map(row => [String(row.stage), Number(row.attempts)]))
}

async function mention(rootTs: string, channel = CHANNEL) {
  const body = slackAppMention({ teamId: slack.state.teamId, channel, ts: rootTs, botUserId: slack.state.botUserId, text: `<@${slack.state.botUserId}> please turn this into tasks` })
  const response = await postSlackEvent(server.url, body, SECRET)
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ status: 'accepted' })
  return `${slack.state.teamId}:${channel}:${rootTs}`
}

const ASKS = ['Dana, can you fix the checkout CTA on mobile?', 'We need to update the pricing page copy.', 'TODO: add an analytics event for the new button']
const threadText = (i: number) => i === 0 ? `<@U0DISCUBOT> can we make tasks of this?` : ASKS[i - 1] ?? `Reply number ${i}, just chatting.`

describe('Slack discussions end to end', () => {
  it('reads a 250-message thread in 3 pages and replies once with every task as a link', async () => {
    const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 250, text: threadText })
    const job = await finishedJob(await mention(rootTs))
    expect(job).toMatchObject({ status: 'completed', error: null })

    const fetches = slack.calls('conversations.replies').filter(call => call.args.ts === rootTs && !call.args.include_all_metadata)
    expect(fetches).toHaveLength(3)
    const [discussion] = await queryDbFile(server.dbPath, 'SELECT status, thread_data FROM discubot_discussions WHERE id = ?', [job.discussion_id])
    const thread = JSON.parse(String(discussion!.thread_data)) as { messages: { id: string }[], pages: number }
    expect(discussion!.status).toBe('completed')
    expect(thread.pages).toBe(3)
    expect(thread.messages).toHaveLength(250)
    expect(new Set(thread.messages.map(m => m.id)).size).toBe(250)

    const posts = slack.state.posts.filter(post => post.thread_ts === rootTs)
    expect(posts).toHaveLength(1)
    expect(posts[0]!.metadata).toMatchObject({ event_type: 'discubot_reply', event_payload: { marker: expect.any(String) } })
    const tasks = await queryDbFile(server.dbPath, 'SELECT id, title FROM discubot_tasks WHERE discussion_id = ?', [job.discussion_id])
    expect(tasks.length).toBeGreaterThanOrEqual(1)
    for (const task of tasks) expect(posts[0]!.text).toContain(`<${server.url}/tasks/${task.id}|`)
  })

  it('gets through a rate limit, a 503, a dropped connection and a late answer, and replies exactly once', async () => {
    const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 4, text: threadText })
    slack.faults.push(
      rateLimited('conversations.replies', 1),
      serverError('conversations.replies', 503),
      dropConnection('chat.postMessage'),
      // Slack takes the message but answers after our timeout: the retry must find it, not post again.
      slowAnswer('chat.postMessage', HTTP_TIMEOUT_MS + 1500, { commitFirst: true }),
    )
    const job = await finishedJob(await mention(rootTs))
    expect(job).toMatchObject({ status: 'completed', error: null })
    expect(slack.faults.pending).toBe(0)
    expect(slack.state.posts.filter(post => post.thread_ts === rootTs)).toHaveLength(1)
    const attempts = await stageAttempts(job.id)
    expect(attempts.thread_building).toBe(3)
    expect(attempts.notification).toBe(3)
    // The third notification attempt looked for the reply (include_all_metadata) and found it.
    expect(slack.calls('conversations.replies').some(call => call.args.ts === rootTs && call.args.include_all_metadata)).toBe(true)
  })

  it('fails the job with a message naming the cause on a permanent Slack error, without retrying', async () => {
    const missingChannel = 'C0GONE'
    const job = await finishedJob(await mention('1700009999.000100', missingChannel))
    expect(job.status).toBe('failed')
    expect(job.stage).toBe('thread_building')
    expect(job.error).toContain('Slack conversations.replies failed: channel_not_found')
    expect(slack.calls('conversations.replies').filter(call => call.args.channel === missingChannel)).toHaveLength(1)
    const [discussion] = await queryDbFile(server.dbPath, 'SELECT status FROM discubot_discussions WHERE id = ?', [job.discussion_id])
    expect(discussion!.status).toBe('failed')
    expect(slack.state.posts.filter(post => post.channel === missingChannel)).toHaveLength(0)
  })
})

describe('Figma discussions end to end', () => {
  it('reads the comment thread of a mention in a reply and answers once on the root, through a rate limit', async () => {
    const fileKey = 'PIPEFIG1'
    figma.state.addFile(fileKey, 'Checkout v2')
    const root = figma.state.addComment(fileKey, { message: 'The CTA is hard to find on mobile.' })
    figma.state.addComment(fileKey, { message: 'Dana, can you move the CTA above the fold?', parentId: root.id, user: { id: '812345', handle: 'Dana' } })
    const trigger = figma.state.addComment(fileKey, { message: '@discubot make tasks of this', parentId: root.id })
    figma.faults.push(rateLimited('GET /v1/files/:key/comments', 1, { status: 429, err: 'Rate limit exceeded' }))

    const response = await postFigmaEvent(server.url, figmaFileComment({
      passcode: PASSCODE,
      fileKey,
      commentId: trigger.id,
      parentId: root.id,
      comment: [{ mention: figma.state.me.id }, { text: ' make tasks of this' }],
      mentions: [{ id: figma.state.me.id, handle: 'discubot' }],
    }))
    expect(await response.json()).toMatchObject({ status: 'accepted' })

    const job = await finishedJob(`${fileKey}:${root.id}`)
    expect(job).toMatchObject({ status: 'completed', error: null })
    const [discussion] = await queryDbFile(server.dbPath, 'SELECT thread_data FROM discubot_discussions WHERE id = ?', [job.discussion_id])
    expect((JSON.parse(String(discussion!.thread_data)) as { messages: unknown[] }).messages).toHaveLength(3)
    expect(figma.faults.pending).toBe(0)
    expect(figma.state.posts).toHaveLength(1)
    expect(figma.state.posts[0]).toMatchObject({ parent_id: root.id, user: { id: figma.state.me.id } })
    expect(figma.state.posts[0]!.message).toMatch(/\[discubot:[^\]]+\]$/)
    const tasks = await queryDbFile(server.dbPath, 'SELECT id FROM discubot_tasks WHERE discussion_id = ?', [job.discussion_id])
    for (const task of tasks) expect(figma.state.posts[0]!.message).toContain(`${server.url}/tasks/${task.id}`)
  })
})

describe('the database file after the work', () => {
  // The server's own thread checkpoints (utils/checkpointer.ts): with nobody else checkpointing,
  // every frame of the WAL reaches the database file. The WAL index (the -shm file) says how far:
  // mxFrame (the last frame, header offset 16) and nBackfill (frames copied back, offset 96).
  it('is checkpointed by the server itself, off its event loop, while it idles', async () => {
    const backfill = await waitFor(() => {
      const shm = readFileSync(`${server.dbPath}-shm`)
      const state = { mxFrame: shm.readUInt32LE(16), nBackfill: shm.readUInt32LE(96) }
      return state.nBackfill === state.mxFrame ? state : undefined
    }, { timeoutMs: 10_000, intervalMs: 50, message: 'a WAL whose every frame is in the database file' })
    expect(backfill.nBackfill).toBe(backfill.mxFrame)
  })

  // A connection that keeps a read snapshot (a statement left unfinished) stops every checkpoint
  // at that snapshot: the WAL grows for as long as the server runs, and reads slow down with it.
  it('can be checkpointed completely while the server idles: no snapshot is kept', async () => {
    const client = createClient({ url: `file:${server.dbPath}`, timeout: 1000 })
    try {
      const checkpoint = await waitFor(async () => {
        const [row] = (await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows
        return Number(row?.busy) === 0 ? row : undefined
      }, { timeoutMs: 10_000, intervalMs: 200, message: 'a checkpoint that is not held back by a snapshot' })
      expect(checkpoint).toMatchObject({ busy: 0 })
    }
    finally {
      client.close()
    }
  })
})
