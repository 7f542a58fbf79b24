// The two webhook routes of the built server, configured from env (bootstrapped against the
// Slack and Figma stand-ins): authentication, a matrix of bad input (each a clear 4xx, nothing
// written), re-deliveries, PING and an unknown Slack workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { waitFor, type ServerHandle } from '../support/server'
import { countRows, queryDbFile } from '../support/db-file'
import { startSourcesServer, type SourcesServer } from '../support/sources-server'
import type { SlackStandin } from '../standins/slack'
import type { FigmaStandin } from '../standins/figma'
import { figmaFileComment, figmaPing, postFigmaEvent, postSlackEvent, signedSlackHeaders, slackAppMention, slackUrlVerification } from '../standins/signing'

const CHANNEL = 'C0HOOKS'

let sources: SourcesServer
let slack: SlackStandin
let figma: FigmaStandin
let server: ServerHandle
let SECRET: string
let PASSCODE: string

beforeAll(async () => {
  sources = await startSourcesServer()
  ;({ slack, figma, server, signingSecret: SECRET, passcode: PASSCODE } = sources)
  slack.state.addChannel(CHANNEL)
})

afterAll(() => sources?.stop())

/** What a delivery may leave: a job, its inbox rows, and the inbox's record of what was turned away. */
const written = async () => ({
  events: await countRows(server.dbPath, 'discubot_webhook_events', `status IN ('accepted', 'duplicate', 'unknown_workspace')`),
  jobs: await countRows(server.dbPath, 'discubot_jobs'),
  ...await turnedAway(),
})

/** Deliveries the inbox recorded as rejected (counted per source and hour) or ignored (one row per event). */
async function turnedAway() {
  const [row] = await queryDbFile(server.dbPath, `SELECT coalesce(sum(CASE WHEN status = 'rejected' THEN redeliveries + 1 END), 0) AS rejected, coalesce(sum(CASE WHEN status = 'ignored' THEN redeliveries + 1 END), 0) AS ignored FROM discubot_webhook_events`)
  return { rejected: Number(row!.rejected), ignored: Number(row!.ignored) }
}

async function expectRejected(response: Response, status: number, message: string | RegExp) {
  const body = await response.json() as { statusCode?: number, message?: string }
  expect({ status: response.status, statusCode: body.statusCode }).toEqual({ status, statusCode: status })
  if (typeof message === 'string') expect(body.message).toContain(message)
  else expect(body.message).toMatch(message)
}

/** Posts bytes as given; without a content-type header none is sent (a string body would get text/plain). */
function postRaw(path: string, body: string, headers: Record<string, string>) {
  return fetch(`${server.url}/api/webhooks/${path}`, { method: 'POST', headers, body: headers['content-type'] ? body : new TextEncoder().encode(body) })
}

describe('env bootstrap', () => {
  it('stored the default team\'s configs with the identities the services reported', async () => {
    const rows = await queryDbFile(server.dbPath, 'SELECT source_type, slack_workspace_id, bot_user_id, secrets_ciphertext FROM discubot_configs WHERE from_env = 1 ORDER BY source_type')
    expect(rows.map(r => [r.source_type, r.slack_workspace_id, r.bot_user_id])).toEqual([
      ['figma', null, figma.state.me.id],
      ['slack', slack.state.teamId, slack.state.botUserId],
    ])
    for (const row of rows) expect(String(row.secrets_ciphertext)).not.toContain(SECRET)
  })
})

describe('POST /api/webhooks/slack', () => {
  it('answers url_verification with the challenge once the signature verifies', async () => {
    const response = await postSlackEvent(server.url, slackUrlVerification('chal-123'), SECRET)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ challenge: 'chal-123' })
  })

  it('refuses unauthenticated requests with 401, writes no job and only counts them in the inbox', async () => {
    const before = await written()
    const body = JSON.stringify(slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL }))
    await expectRejected(await postRaw('slack', body, { 'content-type': 'application/json' }), 401, 'Missing X-Slack-Signature')
    await expectRejected(await postRaw('slack', body, signedSlackHeaders(body, 'not-the-secret')), 401, 'does not match any active Slack config')
    await expectRejected(await postRaw('slack', body, signedSlackHeaders(body, SECRET, { timestamp: Math.floor(Date.now() / 1000) - 600 })), 401, 'replay')
    await expectRejected(await postRaw('slack', body, signedSlackHeaders(body, SECRET, { timestamp: Math.floor(Date.now() / 1000) + 600 })), 401, 'replay')
    const tampered = { ...signedSlackHeaders(body, SECRET) }
    await expectRejected(await postRaw('slack', body.replace(CHANNEL, 'C0OTHER'), tampered), 401, 'does not match')
    expect(await written()).toEqual({ ...before, rejected: before.rejected + 5 })
    const [row] = await queryDbFile(server.dbPath, `SELECT team_id, job_id, detail FROM discubot_webhook_events WHERE status = 'rejected' AND source = 'slack' ORDER BY updated_at DESC LIMIT 1`)
    expect(row).toEqual({ team_id: null, job_id: null, detail: 'Slack signature does not match any active Slack config' })
  })

  it('answers every kind of bad input with a clear 4xx and writes nothing', async () => {
    const before = await written()
    const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL })
    const signed = (raw: string, contentType = 'application/json') => ({ ...signedSlackHeaders(raw, SECRET), 'content-type': contentType })
    const cases: [string, string, Record<string, string>, number, string | RegExp][] = [
      ['not JSON', '{"type": "event_callback",', signed('{"type": "event_callback",'), 400, 'not valid JSON'],
      ['a JSON array', '[1,2]', signed('[1,2]'), 400, 'must be a JSON object'],
      ['empty', '', signed(''), 400, 'empty'],
      ['form-encoded', 'payload=%7B%7D', signed('payload=%7B%7D', 'application/x-www-form-urlencoded'), 415, 'application/json'],
      ['text/plain', JSON.stringify(mention), signed(JSON.stringify(mention), 'text/plain'), 415, 'application/json'],
      ['no content type', JSON.stringify(mention), { 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=00' }, 415, 'no content type'],
      ['missing type', '{}', signed('{}'), 400, /type/],
      ['type of the wrong type', '{"type":42}', signed('{"type":42}'), 400, /type/],
      ['url_verification without challenge', '{"type":"url_verification"}', signed('{"type":"url_verification"}'), 400, 'challenge'],
    ]
    const invalid = (patch: (body: ReturnType<typeof slackAppMention>) => unknown) => JSON.stringify(patch(structuredClone(mention)))
    const events: [string, string, string][] = [
      ['event_callback without team_id', invalid(b => ({ ...b, team_id: undefined })), 'team_id'],
      ['event_callback without event_id', invalid(b => ({ ...b, event_id: undefined })), 'event_id'],
      ['event_callback without event', invalid(b => ({ ...b, event: undefined })), 'event'],
      ['app_mention without ts', invalid(b => ({ ...b, event: { ...b.event, ts: undefined } })), 'event.ts'],
      ['app_mention with a numeric ts', invalid(b => ({ ...b, event: { ...b.event, ts: 1700000000.0001 } })), 'event.ts'],
      ['app_mention with a numeric channel', invalid(b => ({ ...b, event: { ...b.event, channel: 42 } })), 'event.channel'],
      ['app_mention with an object text', invalid(b => ({ ...b, event: { ...b.event, text: { rich: true } } })), 'event.text'],
    ]
    for (const [, raw, message] of events) cases.push([message, raw, signed(raw), 400, message])

    for (const [name, raw, headers, status, message] of cases) {
      const response = await postRaw('slack', raw, headers)
      expect(response.status, name).toBe(status)
      await expectRejected(response, status, message)
    }
    expect(await written()).toEqual(before)
  })

  it('answers 413 to a 2 MB body without reading it into a job', async () => {
    const before = await written()
    const huge = JSON.stringify({ ...slackAppMention({ channel: CHANNEL }), padding: 'x'.repeat(2 * 1024 * 1024) })
    await expectRejected(await postRaw('slack', huge, signedSlackHeaders(huge, SECRET)), 413, 'larger than')
    expect(await written()).toEqual(before)
  })

  it('stores one job for the same event delivered three times', async () => {
    const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 3 })
    const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId })
    const answers = []
    for (const retryNum of [0, 1, 2]) {
      const response = await postSlackEvent(server.url, mention, SECRET, { retryNum })
      expect(response.status).toBe(200)
      answers.push(await response.json() as { status: string, jobId: string })
    }
    expect(answers.map(a => a.status)).toEqual(['accepted', 'duplicate', 'duplicate'])
    expect(new Set(answers.map(a => a.jobId)).size).toBe(1)
    const threadId = `${slack.state.teamId}:${CHANNEL}:${rootTs}`
    expect(await countRows(server.dbPath, 'discubot_jobs', `json_extract(payload, '$.sourceThreadId') = ?`, [threadId])).toBe(1)
    const [event] = await queryDbFile(server.dbPath, 'SELECT status, redeliveries, job_id FROM discubot_webhook_events WHERE job_id = ?', [answers[0]!.jobId])
    expect(event).toMatchObject({ status: 'accepted', redeliveries: 2 })
  })

  it('ignores bot messages and other events with 200 and no job, recording why', async () => {
    const before = await written()
    for (const body of [
      slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, event: { bot_id: 'B0OTHER' } }),
      slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, user: slack.state.botUserId }),
      slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, event: { type: 'message', channel_type: 'channel' } }),
    ]) {
      const response = await postSlackEvent(server.url, body, SECRET)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: 'ignored' })
    }
    expect(await written()).toEqual({ ...before, ignored: before.ignored + 3 })
    const reasons = await queryDbFile(server.dbPath, `SELECT detail FROM discubot_webhook_events WHERE status = 'ignored' AND source = 'slack'`)
    expect(reasons.map(row => row.detail).sort()).toEqual(['event type message', 'message from a bot', 'message from our own bot user'])
  })

  it('records a verified event from an unknown workspace and answers 200', async () => {
    const jobs = await countRows(server.dbPath, 'discubot_jobs')
    const body = slackAppMention({ teamId: 'T0STRANGER', channel: 'C0ELSEWHERE', eventId: 'Ev0STRANGER' })
    for (const retryNum of [0, 1]) {
      const response = await postSlackEvent(server.url, body, SECRET, { retryNum })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ ok: true, status: 'unknown_workspace' })
    }
    const rows = await queryDbFile(server.dbPath, `SELECT team_id, status, detail, job_id FROM discubot_webhook_events WHERE status = 'unknown_workspace'`)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ team_id: null, job_id: null, status: 'unknown_workspace' })
    expect(String(rows[0]!.detail)).toContain('T0STRANGER')
    expect(await countRows(server.dbPath, 'discubot_jobs')).toBe(jobs)
  })
})

describe('POST /api/webhooks/figma', () => {
  it('acknowledges PING with 200 and creates nothing', async () => {
    const before = await written()
    const response = await postFigmaEvent(server.url, figmaPing({ passcode: PASSCODE }))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, status: 'pong' })
    expect(await written()).toEqual(before)
  })

  it('refuses a missing or wrong passcode with 401', async () => {
    const before = await written()
    const { passcode: _omitted, ...noPasscode } = figmaFileComment({ passcode: PASSCODE })
    await expectRejected(await postFigmaEvent(server.url, noPasscode), 401, 'passcode is missing')
    await expectRejected(await postFigmaEvent(server.url, figmaFileComment({ passcode: 'guess' })), 401, 'does not match')
    await expectRejected(await postFigmaEvent(server.url, figmaPing({ passcode: `${PASSCODE}x` })), 401, 'does not match')
    expect(await written()).toEqual({ ...before, rejected: before.rejected + 3 })
  })

  it('answers every kind of bad input with a clear 4xx and writes nothing', async () => {
    const before = await written()
    const valid = figmaFileComment({ passcode: PASSCODE })
    const json = (value: unknown) => JSON.stringify(value)
    const cases: [string, string, string, number, string][] = [
      ['not JSON', 'passcode=x', 'application/json', 400, 'not valid JSON'],
      ['empty', '', 'application/json', 400, 'empty'],
      ['text/plain', json(valid), 'text/plain', 415, 'application/json'],
      ['a JSON string', '"PING"', 'application/json', 400, 'JSON object'],
      ['no event_type', json({ ...valid, event_type: undefined }), 'application/json', 400, 'event_type'],
      ['no webhook_id', json({ ...valid, webhook_id: undefined }), 'application/json', 400, 'webhook_id'],
      ['boolean webhook_id', json({ ...valid, webhook_id: true }), 'application/json', 400, 'webhook_id'],
      ['FILE_COMMENT without file_key', json({ ...valid, file_key: undefined }), 'application/json', 400, 'file_key'],
      ['FILE_COMMENT with text instead of fragments', json({ ...valid, comment: 'hello @discubot' }), 'application/json', 400, 'comment'],
      ['FILE_COMMENT without triggered_by', json({ ...valid, triggered_by: undefined }), 'application/json', 400, 'triggered_by'],
      ['FILE_COMMENT with an object comment_id', json({ ...valid, comment_id: { id: 1 } }), 'application/json', 400, 'comment_id'],
    ]
    for (const [name, raw, contentType, status, message] of cases) {
      const response = await postRaw('figma', raw, { 'content-type': contentType })
      expect(response.status, name).toBe(status)
      await expectRejected(response, status, message)
    }
    const huge = json({ ...valid, padding: 'x'.repeat(2 * 1024 * 1024) })
    await expectRejected(await postRaw('figma', huge, { 'content-type': 'application/json' }), 413, 'larger than')
    expect(await written()).toEqual(before)
  })

  it('stores one job per comment, however often Figma retries it, and ignores comments without the trigger', async () => {
    const root = figma.state.addComment('HOOKS1', { message: 'Can we @discubot fix the CTA?' })
    const body = figmaFileComment({ passcode: PASSCODE, fileKey: 'HOOKS1', commentId: root.id })
    const first = await postFigmaEvent(server.url, body)
    const again = await postFigmaEvent(server.url, { ...body, retries: 1 })
    expect(await first.json()).toMatchObject({ status: 'accepted' })
    expect(await again.json()).toMatchObject({ status: 'duplicate' })
    expect(await countRows(server.dbPath, 'discubot_jobs', `json_extract(payload, '$.sourceThreadId') = ?`, [`HOOKS1:${root.id}`])).toBe(1)

    const before = await written()
    const chatter = await postFigmaEvent(server.url, figmaFileComment({ passcode: PASSCODE, fileKey: 'HOOKS1', commentId: '77', comment: [{ text: 'looks good' }] }))
    expect(await chatter.json()).toMatchObject({ status: 'ignored' })
    expect(await written()).toEqual({ ...before, ignored: before.ignored + 1 })
  })
})

// Last: the outage leaves the server's connection in whatever state the driver leaves it.
describe('database outage', () => {
  it('answers 503 without X-Slack-No-Retry while the database cannot take the write, and accepts the retry', async () => {
    const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 2 })
    const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId })
    // Jobs of the tests above finish first, so the lock meets only the webhook's write.
    await waitFor(async () => await countRows(server.dbPath, 'discubot_jobs', `status IN ('pending', 'processing')`) === 0, { message: 'idle queue' })
    // Another connection holds the write lock: the server's insert cannot commit.
    const locker = createClient({ url: `file:${server.dbPath}`, timeout: 10_000 })
    const lock = await locker.transaction('write')
    try {
      const response = await postSlackEvent(server.url, mention, SECRET, { signal: AbortSignal.timeout(30_000) })
      expect(response.status).toBe(503)
      expect(response.headers.get('x-slack-no-retry')).toBeNull()
      expect(await response.json()).toMatchObject({ statusCode: 503, message: expect.stringContaining('retry') })
    }
    finally {
      await lock.rollback()
      locker.close()
    }
    // Slack's first retry comes almost at once; the lock is gone, so it must be stored now.
    const retry = await postSlackEvent(server.url, mention, SECRET, { retryNum: 1, signal: AbortSignal.timeout(30_000) })
    expect(retry.status).toBe(200)
    expect(await retry.json()).toMatchObject({ status: 'accepted' })
  })
})
