// Running it like production, against the built server with JSON logs and a metrics token: the
// scrape (guarded, parsed as Prometheus text, the same fleet figures from two instances), the
// delivery inbox answering "what happened to my mention?", JSON log lines, job controls (discard,
// cancel, retry with "fetch the thread again") and the cleanup at a time of day firing once across
// two instances when the clock (the timer row's next run) reaches it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { callApi, signInWhenReady, type AdminClient } from '../support/admin-client'
import { startSourcesServer, type SourcesServer } from '../support/sources-server'
import { histogramOf, parseMetrics, valueOf } from '../support/prometheus'
import { rateLimited } from '../standins/http-standin'
import { slackPlatformError, type SlackStandin } from '../standins/slack'
import { figmaFileComment, postFigmaEvent, postSlackEvent, slackAppMention } from '../standins/signing'
import { nextRunOf } from '#layers/discubot/server/utils/schedule'

const ADMIN = { email: 'ops@example.com', password: 'operations-admin-password' }
const TOKEN = 'metrics-scrape-token-0123456789'
const CHANNEL = 'C0OPS'
const ELSEWHERE = 'C0ELSEWHERE'
const ENV = {
  NUXT_LOG_FORMAT: 'json',
  NUXT_METRICS_TOKEN: TOKEN,
  NUXT_ADMIN_EMAIL: ADMIN.email,
  NUXT_ADMIN_PASSWORD: ADMIN.password,
  NUXT_CLEANUP_AT: '03:00',
  NUXT_TIMEZONE: 'Europe/Berlin',
}

let sources: SourcesServer
let slack: SlackStandin
let server: ServerHandle
let owner: AdminClient

beforeAll(async () => {
  sources = await startSourcesServer({ slack: { pageSize: 2 }, env: ENV })
  ;({ slack, server } = sources)
  slack.state.addChannel(CHANNEL)
  slack.state.addChannel(ELSEWHERE)
  owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  // The env Slack config listens to one channel only.
  const slackConfig = (await owner.call('/api/configs')).body.find((config: { sourceType: string }) => config.sourceType === 'slack')
  expect((await owner.call(`/api/configs/${slackConfig.id}`, { method: 'PATCH', body: { slackChannelIds: [CHANNEL] } })).status).toBe(200)
})

afterAll(() => sources?.stop())

const scrape = async (target = server) => {
  const answer = await callApi(target, '/api/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(answer.status).toBe(200)
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return parseMetrics(answer.text)
}

async function mention(channel: string, options: { event?: Record<string, unknown> } = {}) {
  const { rootTs } = slack.state.seedThread(channel, { messages: 5, text: i => i === 0 ? `<@${slack.state.botUserId}> plan` : ['Can you fix the checkout CTA?', 'We need to update the docs.', 'TODO: tell support', 'ok'][i - 1]! })
  const body = slackAppMention({ teamId: slack.state.teamId, channel, ts: rootTs, botUserId: slack.state.botUserId, event: options.event })
  return { body, rootTs, response: await postSlackEvent(server.url, body, sources.signingSecret) }
}

async function jobOf(rootTs: string, done = true) {
  return waitFor(async () => {
    const [row] = await queryDbFile(server.dbPath, `SELECT id, status, stage, error, discussion_id FROM discubot_jobs WHERE json_extract(payload, '$.thread.threadTs') = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`, [rootTs])
    return row && (!done || row.status === 'completed' || row.status === 'failed') ? row as unknown as { id: string, status: string, stage: string, error: string | null, discussion_id: string | null } : undefined
  }, { message: `the job of thread ${rootTs}` })
}

/** Reads of a whole thread: first pages (no cursor), leaving out the reply lookups (with metadata). */
const threadReads = () => slack.calls('conversations.replies').filter(call => !call.args.cursor && !call.args.include_all_metadata).length

describe('metrics', () => {
  it('answers only to the bearer token, with no figure otherwise', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: `Basic ${TOKEN}` }]) {
      const answer = await callApi(server, '/api/metrics', { headers })
      expect(answer.status).toBe(401)
      expect(answer.text).not.toContain('discubot_')
    }
    expect((await scrape()).families.get('discubot_jobs')?.type).toBe('GAUGE')
  })
})

describe('the delivery inbox', () => {
  it('shows every delivery with its outcome, so "what happened to my mention?" has an answer', async () => {
    const before = await scrape()
    const accepted = await mention(CHANNEL)
    expect(await accepted.response.json()).toMatchObject({ status: 'accepted' })
    expect((await jobOf(accepted.rootTs)).status).toBe('completed')
    expect(await (await postSlackEvent(server.url, accepted.body, sources.signingSecret)).json()).toMatchObject({ status: 'duplicate' })
    expect(await (await mention(CHANNEL, { event: { bot_id: 'B0OTHERBOT' } })).response.json()).toMatchObject({ status: 'ignored', reason: 'message from a bot' })
    expect(await (await mention(ELSEWHERE)).response.json()).toMatchObject({ status: 'ignored' })
    const forged = await postSlackEvent(server.url, slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL }), 'not-the-signing-secret')
    expect(forged.status).toBe(401)
    const figma = await postFigmaEvent(server.url, figmaFileComment({ passcode: sources.passcode, comment: [{ text: 'Looks good to me' }], mentions: [] }))
    expect(await figma.json()).toMatchObject({ status: 'ignored' })

    const list = async (query: string) => (await owner.call(`/api/deliveries?${query}`)).body
    const ignored = await list('outcome=ignored&source=slack')
    expect(ignored.items.map((row: { detail: string }) => row.detail).sort()).toEqual([`channel ${ELSEWHERE} is not in the config's channel list`, 'message from a bot'])
    expect((await list('outcome=ignored&source=figma')).items).toEqual([expect.objectContaining({ detail: 'comment does not contain @discubot', outcome: 'ignored' })])
    const acceptedJob = await jobOf(accepted.rootTs)
    expect((await list('outcome=accepted')).items).toEqual([expect.objectContaining({ source: 'slack', jobId: acceptedJob.id, redeliveries: 1 })])
    expect((await list('outcome=duplicate')).items).toEqual([expect.objectContaining({ jobId: acceptedJob.id })])
    // A forged request: no body, no team, counted on its hour's row with the refusal.
    const [rejected] = (await list('outcome=rejected')).items
    expect(rejected).toMatchObject({ source: 'slack', teamId: null, jobId: null, detail: 'Slack signature does not match any active Slack config', eventId: expect.stringMatching(/^rejected:\d{4}-\d\d-\d\dT\d\d$/) })
    expect((await list(`from=${new Date(Date.now() + 60_000).toISOString()}`)).total).toBe(0)

    const bad = await owner.call('/api/deliveries?outcome=lost&source=teams')
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('outcome')
    expect(bad.text).toContain('source')

    const after = await scrape()
    const delta = (source: string, outcome: string) => valueOf(after, 'discubot_webhook_deliveries_total', { source, outcome }) - valueOf(before, 'discubot_webhook_deliveries_total', { source, outcome })
    expect({ accepted: delta('slack', 'accepted'), duplicate: delta('slack', 'duplicate'), ignored: delta('slack', 'ignored'), rejected: delta('slack', 'rejected'), figmaIgnored: delta('figma', 'ignored') })
      .toEqual({ accepted: 1, duplicate: 1, ignored: 2, rejected: 1, figmaIgnored: 1 })
    // The job's stages were timed: the histogram grew, bucket by bucket.
    const ran = (scrape: typeof after, stage: string) => histogramOf(scrape, 'discubot_job_stage_duration_seconds', { stage, outcome: 'ok' })?.count ?? 0
    for (const stage of ['ingestion', 'thread_building', 'ai_analysis', 'notification']) expect(ran(after, stage) - ran(before, stage), stage).toBe(1)
    expect(valueOf(after, 'discubot_external_requests_total', { service: 'slack', outcome: 'ok' })).toBeGreaterThan(valueOf(before, 'discubot_external_requests_total', { service: 'slack', outcome: 'ok' }))
  })
})

describe('JSON logs', () => {
  it('are one JSON object per line, with the job id on stage lines and the start report', async () => {
    const lines = server.logs().split('\n').filter(Boolean)
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, string>
      }
      catch {
        throw new Error(`not a JSON line: ${line}`)
      }
    })
    for (const line of parsed) expect(line).toMatchObject({ level: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), msg: expect.any(String), instance: expect.any(String) })
    const [{ id: jobId }] = await queryDbFile(server.dbPath, `SELECT id FROM discubot_jobs WHERE status = 'completed' LIMIT 1`) as unknown as { id: string }[]
    const stageLines = parsed.filter(line => line.jobId === jobId && line.stage)
    expect(stageLines.map(line => line.stage)).toEqual(expect.arrayContaining(['ingestion', 'config_loading', 'thread_building', 'ai_analysis', 'task_creation', 'notification']))
    expect(stageLines[0]).toMatchObject({ tag: 'pipeline', teamId: expect.any(String), level: 'info' })
    expect(parsed.filter(line => /^instance \S+ started: \d+ job\(s\) resumed .* pending in the backlog.* overdue timer\(s\) found, \d+ fired$/.test(line.msg))).toHaveLength(1)
  })
})

describe('job controls', () => {
  it('discard: out of the Failed view and the failed count, kept under Discarded, its discussion not retryable', async () => {
    slack.faults.push(slackPlatformError('conversations.replies', 'channel_not_found'))
    const { rootTs } = await mention(CHANNEL)
    const failed = await jobOf(rootTs)
    expect(failed).toMatchObject({ status: 'failed', stage: 'thread_building' })
    const ids = async (query: string) => (await owner.call(`/api/jobs?${query}`)).body.items.map((job: { id: string }) => job.id)
    expect(await ids('status=failed')).toContain(failed.id)

    expect((await owner.call(`/api/jobs/${failed.id}/discard`, { method: 'POST' })).body).toEqual({ jobId: failed.id, discarded: true })
    expect(await ids('status=failed')).not.toContain(failed.id)
    expect(await ids('discarded=true')).toEqual([failed.id])
    expect((await owner.call('/api/overview')).body.jobs.failed).toBe(0)
    expect(valueOf(await scrape(), 'discubot_jobs', { status: 'failed' })).toBe(0)
    const retry = await owner.call(`/api/discussions/${failed.discussion_id}/retry`, { method: 'POST' })
    expect(retry.status).toBe(422)
    expect(retry.body.message).toMatch(/discarded/)
    expect((await owner.call(`/api/jobs/${failed.id}/retry`, { method: 'POST' })).status).toBe(422)

    const completed = await jobOf((await queryDbFile(server.dbPath, `SELECT json_extract(payload, '$.thread.threadTs') AS ts FROM discubot_jobs WHERE status = 'completed' LIMIT 1`))[0]!.ts as string)
    const refused = await owner.call(`/api/jobs/${completed.id}/discard`, { method: 'POST' })
    expect(refused.status).toBe(422)
    expect(refused.body.message).toBe('Only a failed job can be discarded; this one is completed')
    expect((await owner.call(`/api/jobs/${completed.id}/cancel`, { method: 'POST' })).status).toBe(422)
  })

  it('retry with "fetch the thread again" reads the thread from Slack again; a plain retry does not', async () => {
    slack.faults.push(slackPlatformError('chat.postMessage', 'not_in_channel'))
    const { rootTs } = await mention(CHANNEL)
    const failed = await jobOf(rootTs)
    expect(failed).toMatchObject({ status: 'failed', stage: 'notification' })

    const fetchedBefore = threadReads()
    const answer = await owner.call(`/api/jobs/${failed.id}/retry`, { method: 'POST', body: { refetchThread: true } })
    expect(answer.status).toBe(202)
    expect(await waitFor(async () => (await queryDbFile(server.dbPath, 'SELECT status FROM discubot_jobs WHERE id = ?', [answer.body.jobId]))[0]?.status === 'completed' || undefined)).toBe(true)
    expect(threadReads()).toBe(fetchedBefore + 1)

    expect((await owner.call(`/api/jobs/${failed.id}/retry`, { method: 'POST', body: { refetch: true } })).status).toBe(400)
  })

  it('cancel: a delayed job ends failed "Cancelled by <name>"', async () => {
    slack.faults.push(rateLimited('conversations.replies', 3600))
    const { rootTs } = await mention(CHANNEL)
    const delayed = await waitFor(async () => {
      const job = await jobOf(rootTs, false)
      const [stage] = await queryDbFile(server.dbPath, `SELECT status FROM discubot_job_stages WHERE job_id = ? AND stage = 'thread_building'`, [job.id])
      return stage?.status === 'retrying' ? job : undefined
    }, { message: 'the job to wait for its retry' })
    const answer = await owner.call(`/api/jobs/${delayed.id}/cancel`, { method: 'POST' })
    expect(answer.body).toEqual({ status: 'cancelled', jobId: delayed.id })
    expect(await jobOf(rootTs)).toMatchObject({ status: 'failed', error: 'Cancelled by ops' })
    const [stage] = await queryDbFile(server.dbPath, `SELECT messages FROM discubot_job_stages WHERE job_id = ? AND stage = 'thread_building'`, [delayed.id])
    expect(JSON.parse(String(stage!.messages)).map((m: { text: string }) => m.text)).toEqual([expect.stringMatching(/^waiting for retry until /)])
  })
})

describe('two instances', () => {
  let second: ServerHandle
  beforeAll(async () => {
    // The first instance's environment, on its own port.
    const { PORT: _port, NUXT_PUBLIC_BASE_URL: _url, ...env } = server.env
    second = await startServer({ dbPath: server.dbPath, env })
  })
  afterAll(() => second?.kill())

  it('report the same fleet figures', async () => {
    const [a, b] = await Promise.all([scrape(server), scrape(second)])
    const fleet = (scrape: typeof a) => ['pending', 'processing', 'completed', 'failed'].map(status => valueOf(scrape, 'discubot_jobs', { status }))
    expect(fleet(a)).toEqual(fleet(b))
    expect(fleet(a).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0)
  })

  it('fire the cleanup once when the clock reaches 03:00 in Berlin, then schedule the next night', async () => {
    const timer = async () => (await queryDbFile(server.dbPath, `SELECT cron, timezone, next_run_at, last_run_at, run_count, locked_by FROM discubot_timers WHERE name = 'cleanup'`))[0]!
    expect(await timer()).toMatchObject({ cron: '0 3 * * *', timezone: 'Europe/Berlin', run_count: 0 })
    // The clock reaches the timer's next run: both instances' timer loops see it due.
    await queryDbFile(server.dbPath, `UPDATE discubot_timers SET next_run_at = ? WHERE name = 'cleanup'`, [Date.now() - 1000])
    const ran = await waitFor(async () => {
      const row = await timer()
      return row.run_count === 1 && row.locked_by === null ? row : undefined
    }, { message: 'the cleanup to run' })
    expect(Number(ran.next_run_at)).toBe(nextRunOf({ cron: '0 3 * * *', timezone: 'Europe/Berlin' }, new Date(Number(ran.last_run_at)))!.getTime())
    const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(new Date(Number(ran.next_run_at)))
    expect(hour).toBe('03:00')
    const firedBy = [server, second].filter(instance => instance.logs().includes('"msg":"timer cleanup ran'))
    expect(firedBy).toHaveLength(1)
  })
})
