// The promise under fire: the built server with every stand-in injecting faults at set rates, N
// signed webhooks (Slack and Figma, some re-delivered, some for the same thread) sent while the
// server is kill -9-ed K times and restarted, then a database outage (the file locked past the
// busy timeout). It checks from the database and the stand-ins' records that nothing was lost,
// stuck or done twice, and prints one table of figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { eq, inArray } from 'drizzle-orm'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { closeDb, openServerDb } from '../support/db-file'
import { startSlackStandin, slackPlatformError, type SlackStandin } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'
import { startNotionStandin, notionRateLimited, notionServerError, createThenTimeout, ROUTES as NOTION, type NotionStandin } from '../standins/notion'
import { startModelStandin, anthropicOverloaded, anthropicRateLimited, type ModelStandin } from '../standins/model'
import { dropConnection, rateLimited, serverError, slowAnswer, type FaultRule } from '../standins/http-standin'
import { figmaFileComment, postFigmaEvent, postSlackEvent, slackAppMention } from '../standins/signing'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotTimers } from '#layers/discubot/collections/timers/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { discubotWebhookEvents } from '#layers/discubot/collections/webhook-events/server/database/schema'

const N = Number(process.env.CHAOS_N ?? 60)
const KILLS = Number(process.env.CHAOS_KILLS ?? 2)
const SECRET = 'chaos-signing-secret'
const PASSCODE = 'chaos-passcode'
const CHANNEL = 'C0CHAOS'
const FILE_KEY = 'ChaosFile'
const HTTP_TIMEOUT_MS = 1500
const BUSY_TIMEOUT_MS = 1000

let slack: SlackStandin
let figma: FigmaStandin
let notion: NotionStandin
let model: ModelStandin
let server: ServerHandle
let databaseId: string

const chance = (rule: FaultRule, rate: number): FaultRule => ({ ...rule, rate })

beforeAll(async () => {
  [slack, figma, notion, model] = await Promise.all([startSlackStandin({ pageSize: 4 }), startFigmaStandin(), startNotionStandin(), startModelStandin()])
  slack.state.addChannel(CHANNEL)
  figma.state.addFile(FILE_KEY, 'Chaos file')
  databaseId = notion.state.addDatabase({ title: 'Chaos tasks' }).id
  slack.faults.push(
    chance(rateLimited('conversations.replies', 1), 0.08),
    chance(slackPlatformError('conversations.replies', 'ratelimited'), 0.05),
    chance(serverError('chat.postMessage', 503, { ok: false, error: 'service_unavailable' }), 0.05),
    chance(dropConnection('chat.postMessage'), 0.03),
    chance(slowAnswer('conversations.replies', HTTP_TIMEOUT_MS + 500), 0.02),
  )
  figma.faults.push(
    chance(rateLimited(/comments/, 1, { status: 429, err: 'Rate limit exceeded' }), 0.08),
    chance(serverError(/comments/, 500, { status: 500, err: 'Internal error' }), 0.04),
  )
  notion.faults.push(
    chance(notionRateLimited(NOTION.createPage, 1), 0.08),
    chance(notionServerError(NOTION.createPage, 503), 0.04),
    // The page is created but the answer comes too late: the marker lookup must prevent a duplicate.
    chance(createThenTimeout(HTTP_TIMEOUT_MS + 500), 0.04),
    chance(dropConnection(NOTION.query), 0.02),
  )
  model.faults.push(chance(anthropicOverloaded(), 0.08), chance(anthropicRateLimited(1), 0.04))
})

afterAll(async () => {
  closeDb()
  await server?.kill()
  await Promise.all([slack?.stop(), figma?.stop(), notion?.stop(), model?.stop()])
})

function serverEnv(dbPath?: string) {
  return {
    dbPath,
    env: {
      NUXT_SLACK_SIGNING_SECRET: SECRET,
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_FIGMA_TOKEN: figma.state.token,
      NUXT_FIGMA_WEBHOOK_PASSCODE: PASSCODE,
      NUXT_FIGMA_API_URL: figma.url,
      NUXT_NOTION_TOKEN: notion.state.token,
      NUXT_NOTION_DATABASE_ID: databaseId,
      NUXT_NOTION_API_URL: notion.url,
      NUXT_ANTHROPIC_API_KEY: model.state.apiKey,
      NUXT_ANTHROPIC_BASE_URL: model.url,
      NUXT_AI_MODEL: 'claude-standin',
      NUXT_WORKER_CONCURRENCY: '4',
      NUXT_HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS),
      NUXT_STAGE_MAX_ATTEMPTS: '15',
      NUXT_RETRY_BASE_MS: '100',
      NUXT_RETRY_MAX_MS: '1500',
      NUXT_LEASE_MS: '3000',
      NUXT_DATABASE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS),
    },
  }
}

interface Delivery {
  kind: 'slack' | 'figma'
  eventId: string
  body: unknown
  /** The chain marker this delivery's job will reply with is unknown up front; the thread is known. */
  thread: string
  accepted: boolean
  attempts: number
}

const THREAD_LINES = ['Can you fix the checkout CTA on mobile?', 'We need to update the onboarding docs.', 'TODO: add tracking for the new button', 'Agreed, ship it Friday.']

function newSlackDelivery(rootTs?: string): Delivery {
  const threadTs = rootTs ?? slack.state.seedThread(CHANNEL, { messages: 6, text: i => THREAD_LINES[i % THREAD_LINES.length]! }).rootTs
  const body = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, threadTs, botUserId: slack.state.botUserId, text: `<@${slack.state.botUserId}> tasks please` })
  // Discubot dedupes Slack deliveries on the mentioning message (team:channel:ts), which also
  // catches the same message delivered once as app_mention and once as message.*.
  return { kind: 'slack', eventId: `${body.team_id}:${body.event.channel}:${body.event.ts}`, body, thread: threadTs, accepted: false, attempts: 0 }
}

function newFigmaDelivery(rootId?: string): Delivery {
  const root = rootId ?? figma.state.addComment(FILE_KEY, { message: 'Can you fix the CTA contrast? We need to update the spec.' }).id
  const reply = figma.state.addComment(FILE_KEY, { message: '@discubot turn this into tasks', parentId: root })
  const body = figmaFileComment({ passcode: PASSCODE, fileKey: FILE_KEY, commentId: reply.id, parentId: root, comment: [{ text: '@discubot turn this into tasks' }] })
  return { kind: 'figma', eventId: `22:${FILE_KEY}:${reply.id}`, body, thread: root, accepted: false, attempts: 0 }
}

/** Sends like Slack/Figma do: retries until a 2xx (a 4xx is a bug in this test, not a retry). */
async function deliver(delivery: Delivery, redelivery = false): Promise<number> {
  for (;;) {
    delivery.attempts++
    let status: number
    try {
      const response = delivery.kind === 'slack'
        ? await postSlackEvent(server.url, delivery.body, SECRET, redelivery || delivery.attempts > 1 ? { retryNum: Math.min(3, delivery.attempts) } : {})
        : await postFigmaEvent(server.url, delivery.body)
      status = response.status
    }
    catch {
      status = 0 // connection refused while the server is down
    }
    if (status >= 200 && status < 300) {
      delivery.accepted = true
      return status
    }
    if (status >= 400 && status < 500) throw new Error(`${delivery.kind} delivery ${delivery.eventId} answered ${status}`)
    await new Promise(resolve => setTimeout(resolve, 150))
  }
}

/** What a timed-out drain leaves behind, so a red run says which job waits on what. */
async function unfinishedReport(db: ReturnType<typeof openServerDb>): Promise<string> {
  const open = (await db.select().from(discubotJobs)).filter(job => job.status !== 'completed' && job.status !== 'failed')
  const stages = open.length ? await db.select().from(discubotJobStages).where(inArray(discubotJobStages.jobId, open.map(job => job.id))) : []
  const timers = await db.select().from(discubotTimers)
  const now = Date.now()
  const lines = open.map((job) => {
    const rows = stages.filter(stage => stage.jobId === job.id).map(stage => `${stage.stage}:${stage.status}×${stage.attempts}`).join(' ')
    return `  job ${job.id} ${job.status} ${JSON.stringify({ ...job, metadata: undefined })} stages[${rows}]`
  })
  const due = timers.map(timer => `  timer ${JSON.stringify(timer)} (due in ${Number(timer.nextRunAt ?? 0) - now} ms)`)
  return [`${open.length} unfinished jobs at ${new Date(now).toISOString()}:`, ...lines, `${timers.length} timers:`, ...due.slice(0, 40), 'server log tail:', server.logs().slice(-8000)].join('\n')
}

function table(rows: [string, string | number][]) {
  const width = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')
}

describe('chaos', () => {
  it(`N=${N} webhooks, ${KILLS} kill -9s, faults everywhere, then a database outage: nothing lost, stuck or duplicated`, async () => {
    server = await startServer(serverEnv())
    const deliveries: Delivery[] = []
    for (let i = 0; i < N; i++) {
      const sameThread = i > 5 && i % 10 === 0 ? deliveries[i - 3] : undefined
      const slackTurn = i % 10 < 7
      if (slackTurn) deliveries.push(newSlackDelivery(sameThread?.kind === 'slack' ? sameThread.thread : undefined))
      else deliveries.push(newFigmaDelivery(sameThread?.kind === 'figma' ? sameThread.thread : undefined))
    }

    // Send with 6 senders; kill -9 the server K times along the way and restart it on the same port.
    let next = 0
    let redeliveries = 0
    const killAt = new Set(Array.from({ length: KILLS }, (_, k) => Math.floor(((k + 1) * N) / (KILLS + 1))))
    let kills = 0
    let lastRestartAt = Date.now()
    const senders = Array.from({ length: 6 }, async () => {
      while (next < deliveries.length) {
        const index = next++
        if (killAt.has(index)) {
          killAt.delete(index)
          kills++
          await server.kill('SIGKILL')
          server = await startServer({ ...serverEnv(server.dbPath), port: server.port })
          lastRestartAt = Date.now()
        }
        const delivery = deliveries[index]!
        await deliver(delivery)
        if (index % 9 === 4) {
          redeliveries++
          await deliver(delivery, true)
        }
      }
    })
    await Promise.all(senders)
    const db = openServerDb(server.dbPath)
    const drainStart = Date.now()
    // Draining is paced by Notion's 3 requests/s limit (about three pages per job).
    const jobs = await waitFor(async () => {
      const rows = await db.select().from(discubotJobs)
      return rows.every(job => job.status === 'completed' || job.status === 'failed') ? rows : undefined
    }, { timeoutMs: Math.max(240_000, N * 3_000), intervalMs: 250, message: 'the queue to drain' }).catch(async (error) => {
      throw new Error(`${(error as Error).message}\n${await unfinishedReport(db)}`)
    })
    const drainedAt = Date.now()

    // Database outage: another process holds the write lock past the busy timeout.
    const outage = Array.from({ length: 5 }, () => newSlackDelivery())
    const lockClient = createClient({ url: `file:${server.dbPath}` })
    const lock = await lockClient.transaction('write')
    await lock.execute('UPDATE discubot_timers SET run_count = run_count')
    let outage503 = 0
    let healthDuringOutage: number | undefined
    let failedDuringOutage: number | undefined
    try {
      for (const delivery of outage) {
        const response = await postSlackEvent(server.url, delivery.body, SECRET)
        if (response.status === 503) outage503++
      }
      healthDuringOutage = (await waitFor(async () => {
        const response = await fetch(`${server.url}/api/health`)
        return response.status === 503 ? response : undefined
      }, { timeoutMs: 15_000, message: '/api/health to report the outage' })).status
      failedDuringOutage = (await db.select().from(discubotJobs).where(eq(discubotJobs.status, 'failed'))).length
        - jobs.filter(job => job.status === 'failed').length
    }
    finally {
      await lock.rollback()
      lockClient.close()
    }
    for (const delivery of outage) await deliver(delivery)
    deliveries.push(...outage)
    const finalJobs = await waitFor(async () => {
      const rows = await db.select().from(discubotJobs)
      return rows.length === jobs.length + outage.length && rows.every(job => job.status === 'completed' || job.status === 'failed') ? rows : undefined
    }, { timeoutMs: 120_000, intervalMs: 250, message: 'the queue to drain after the outage' }).catch(async (error) => {
      throw new Error(`${(error as Error).message}\n${await unfinishedReport(db)}`)
    })
    const healthAfter = (await fetch(`${server.url}/api/health`)).status

    // Every 2xx-answered delivery has its event row, a job and a discussion; nothing stuck. The
    // inbox also keeps a row per re-delivery (`duplicate`), which must point at its first copy's job.
    const inbox = await db.select().from(discubotWebhookEvents)
    const events = inbox.filter(event => event.status === 'accepted')
    const eventIds = new Set(events.map(event => event.eventId))
    const lost = deliveries.filter(d => d.accepted && !eventIds.has(d.eventId)).map(d => d.eventId)
    const eventJobIds = events.map(event => event.jobId).filter(Boolean) as string[]
    const jobsById = new Map(finalJobs.map(job => [job.id, job]))
    const withoutJob = events.filter(event => !event.jobId || !jobsById.has(event.jobId))
    const strayDuplicates = inbox.filter(event => event.status === 'duplicate' && !eventJobIds.includes(event.jobId ?? ''))
    const stuck = finalJobs.filter(job => job.status === 'processing' || job.status === 'pending')
    const discussions = await db.select().from(discubotDiscussions)
    const withoutDiscussion = finalJobs.filter(job => !job.discussionId)
    const failed = finalJobs.filter(job => job.status === 'failed')

    // Exactly one Notion page per task (by its Discubot ID marker), one reply per job chain.
    const tasks = await db.select().from(discubotTasks)
    const pagesByMarker = new Map<string, number>()
    for (const page of notion.state.pages) {
      const marker = notion.state.text(page, 'Discubot ID')
      pagesByMarker.set(marker, (pagesByMarker.get(marker) ?? 0) + 1)
    }
    const duplicatePages = [...pagesByMarker.values()].filter(n => n > 1).reduce((sum, n) => sum + n - 1, 0)
    const markers = [
      ...slack.state.posts.map(post => String(post.metadata?.event_payload?.marker ?? '')),
      ...figma.state.posts.map(post => /\[discubot:([^\]]+)\]/.exec(post.message)?.[1] ?? post.message),
    ]
    const duplicateReplies = markers.length - new Set(markers).size
    const completedJobs = finalJobs.filter(job => job.status === 'completed')
    const repliesMissing = completedJobs.filter(job => !markers.some(m => m.includes(job.metadata.rootJobId ?? job.id))).length

    const failedReasons = [...Map.groupBy(failed, job => job.error ?? 'unknown').entries()].map(([reason, list]) => `${list.length}× ${reason}`).join('; ') || '–'
    console.log(`\nChaos run (faults on every stand-in, ${HTTP_TIMEOUT_MS} ms client timeout)\n${table([
      ['webhooks sent', deliveries.length],
      ['accepted (2xx)', deliveries.filter(d => d.accepted).length],
      ['re-deliveries', redeliveries],
      ['delivery attempts (incl. during kills)', deliveries.reduce((sum, d) => sum + d.attempts, 0)],
      ['kill -9', kills],
      ['jobs', finalJobs.length],
      ['completed', completedJobs.length],
      ['failed (why)', `${failed.length} (${failedReasons})`],
      ['lost (2xx without event/job)', lost.length + withoutJob.length],
      ['stuck (pending/processing)', stuck.length],
      ['tasks / Notion pages', `${tasks.length} / ${notion.state.pages.length}`],
      ['duplicate pages', duplicatePages],
      ['duplicate replies', duplicateReplies],
      ['completed jobs without a reply', repliesMissing],
      ['seconds to drain after the last restart', ((drainedAt - Math.max(lastRestartAt, drainStart - 1)) / 1000).toFixed(1)],
      ['DB outage: webhooks answered 503', `${outage503}/${outage.length}`],
      ['DB outage: /api/health', `${healthDuringOutage} during, ${healthAfter} after`],
      ['DB outage: jobs failed by it', failedDuringOutage],
    ])}\n`)

    expect(lost).toEqual([])
    expect(withoutJob).toEqual([])
    expect(stuck).toEqual([])
    expect(withoutDiscussion).toEqual([])
    expect(discussions.length).toBeGreaterThan(0)
    expect(new Set(eventJobIds).size).toBe(eventJobIds.length)
    expect(strayDuplicates).toEqual([])
    expect(failed).toEqual([])
    expect(duplicatePages).toBe(0)
    expect(duplicateReplies).toBe(0)
    expect(repliesMissing).toBe(0)
    expect(tasks.filter(task => task.status !== 'created')).toEqual([])
    expect(tasks.length).toBe(notion.state.pages.length)
    expect(outage503).toBe(outage.length)
    expect(healthDuringOutage).toBe(503)
    expect(failedDuringOutage).toBe(0)
    expect(healthAfter).toBe(200)
    const taskJobs = new Set(tasks.map(task => task.discussionId))
    expect((await db.select().from(discubotDiscussions).where(inArray(discubotDiscussions.id, [...taskJobs]))).every(d => d.status === 'completed')).toBe(true)
  })
})
