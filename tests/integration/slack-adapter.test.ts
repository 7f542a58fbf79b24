// The Slack adapter through the official WebClient against the local Slack stand-in: pages,
// replies with markers, and every kind of failure the stand-in can inject.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { slackAdapter } from '#layers/discubot/server/sources/slack/adapter'
import { getSourceAdapter } from '#layers/discubot/server/sources/registry'
import type { SourceCallContext } from '#layers/discubot/server/sources/types'
import type { DiscubotConfig } from '#layers/discubot/collections/configs/server/database/schema'
import type { SlackThreadRef } from '#layers/discubot/shared/schemas'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import { resolveSettings } from '#layers/discubot/server/utils/settings'
import { rejectionOf } from '../support/caught'
import { dropConnection, rateLimited, serverError, slowAnswer } from '../standins/http-standin'
import { slackPlatformError, startSlackStandin, type SlackStandin } from '../standins/slack'

let slack: SlackStandin

const config = { id: 'cfg-1', teamId: 'team-1', sourceType: 'slack', name: 'Slack', botUserId: 'U0DISCUBOT' } as DiscubotConfig
const ctx = (overrides: Partial<SourceCallContext> = {}): SourceCallContext => ({
  config,
  secrets: { botToken: slack.state.token },
  settings: resolveSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 500 }),
  ...overrides,
})
const refOf = (channel: string, rootTs: string): SlackThreadRef => ({ kind: 'slack', workspaceId: slack.state.teamId, channel, threadTs: rootTs, messageTs: rootTs })

beforeAll(async () => {
  slack = await startSlackStandin({ pageSize: 100 })
})
afterAll(() => slack.stop())
beforeEach(() => {
  slack.faults.clear()
  slack.requests.length = 0
  slack.state.repeatParent = false
})

describe('slackAdapter.fetchThread', () => {
  it('is what the registry returns for slack', () => {
    expect(getSourceAdapter('slack')).toBe(slackAdapter)
  })

  it('reads a 250-message thread in 3 pages, in order, through the cursor', async () => {
    const { rootTs, messages } = slack.state.seedThread('C1', { messages: 250 })
    const thread = await slackAdapter.fetchThread(ctx(), refOf('C1', rootTs))
    expect(thread.pages).toBe(3)
    expect(thread.messages.map(m => m.id)).toEqual(messages.map(m => m.ts))
    const calls = slack.calls('conversations.replies')
    expect(calls).toHaveLength(3)
    expect(calls[0]!.args.cursor).toBeUndefined()
    expect(calls[1]!.args.cursor).toBeTruthy()
    // The SDK posts form-urlencoded with the Bearer token.
    expect(calls[0]!.headers['content-type']).toContain('application/x-www-form-urlencoded')
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${slack.state.token}`)
    expect(thread.messages[0]).toMatchObject({ id: rootTs, author: 'U0ALICE', authorId: 'U0ALICE', isBot: false })
    expect(thread.messages[0]!.timestamp).toBe(new Date(Number(rootTs.split('.')[0]) * 1000).toISOString())
  })

  it('dedupes a parent that comes again on later pages', async () => {
    slack.state.repeatParent = true
    const { rootTs } = slack.state.seedThread('C1', { messages: 250 })
    const thread = await slackAdapter.fetchThread(ctx(), refOf('C1', rootTs))
    expect(thread.messages).toHaveLength(250)
    expect(new Set(thread.messages.map(m => m.id)).size).toBe(250)
  })

  it('marks bot messages', async () => {
    const { rootTs } = slack.state.seedThread('C1', { messages: 2 })
    slack.state.thread('C1', rootTs)!.push({ ts: slack.state.nextTs(), bot_id: 'B0OTHER', username: 'deploybot', subtype: 'bot_message', text: 'deployed', thread_ts: rootTs })
    const thread = await slackAdapter.fetchThread(ctx(), refOf('C1', rootTs))
    expect(thread.messages.at(-1)).toMatchObject({ author: 'deploybot', authorId: 'B0OTHER', isBot: true })
  })

  it('fails permanently, naming Slack and the code, on channel_not_found and invalid_auth', async () => {
    const missing = await rejectionOf(slackAdapter.fetchThread(ctx(), refOf('C404', '1700000000.000001')))
    expect(missing).toBeInstanceOf(PermanentError)
    expect(missing.message).toBe('Slack conversations.replies failed: channel_not_found')
    const { rootTs } = slack.state.seedThread('C1')
    const badToken = await rejectionOf(slackAdapter.fetchThread(ctx({ secrets: { botToken: 'xoxb-wrong' } }), refOf('C1', rootTs)))
    expect(badToken).toBeInstanceOf(PermanentError)
    expect(badToken.message).toBe('Slack conversations.replies failed: invalid_auth')
  })

  it('fails permanently without a bot token, before calling Slack', async () => {
    const error = await rejectionOf(slackAdapter.fetchThread(ctx({ secrets: {} }), refOf('C1', '1700000000.000001')))
    expect(error).toBeInstanceOf(PermanentError)
    expect(slack.requests).toHaveLength(0)
  })

  it('reports a 429 once (no SDK retry) as transient with Retry-After', async () => {
    const { rootTs } = slack.state.seedThread('C1', { messages: 250 })
    slack.faults.push(rateLimited('conversations.replies', 30))
    const error = await rejectionOf(slackAdapter.fetchThread(ctx(), refOf('C1', rootTs)))
    expect(error).toBeInstanceOf(TransientError)
    expect(error).toMatchObject({ retryAfterMs: 30_000 })
    expect(slack.calls('conversations.replies')).toHaveLength(1)
  })

  it('reports a failure on a later page as transient, and the next attempt reads it all', async () => {
    const { rootTs } = slack.state.seedThread('C1', { messages: 250 })
    slack.faults.push({ ...slackPlatformError('conversations.replies', 'internal_error'), after: 1 })
    const error = await rejectionOf(slackAdapter.fetchThread(ctx(), refOf('C1', rootTs)))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toBe('Slack conversations.replies failed: internal_error')
    expect(slack.requests.map(r => r.fault)).toEqual([undefined, 'respond'])
    expect((await slackAdapter.fetchThread(ctx(), refOf('C1', rootTs))).messages).toHaveLength(250)
  })

  it.each([
    ['a 500', serverError('conversations.replies', 500)],
    ['a 503', serverError('conversations.replies', 503)],
    ['a slow answer beyond the timeout', slowAnswer('conversations.replies', 1500)],
    ['a dropped connection', dropConnection('conversations.replies')],
  ])('reports %s as transient, once', async (_, fault) => {
    const { rootTs } = slack.state.seedThread('C1')
    slack.faults.push(fault)
    const error = await rejectionOf(slackAdapter.fetchThread(ctx(), refOf('C1', rootTs)))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toMatch(/^Slack conversations\.replies failed: /)
    expect(slack.calls('conversations.replies')).toHaveLength(1)
  })

  it('stops when the job\'s signal aborts', async () => {
    const { rootTs } = slack.state.seedThread('C1')
    slack.faults.push(slowAnswer('conversations.replies', 400))
    const controller = new AbortController()
    const settings = resolveSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 10_000 })
    const pending = rejectionOf(slackAdapter.fetchThread(ctx({ settings, signal: controller.signal }), refOf('C1', rootTs)))
    setTimeout(() => controller.abort(), 50)
    expect(await pending).toBeInstanceOf(TransientError)
  })
})

describe('slackAdapter replies', () => {
  const content = { marker: 'job-42', summary: 'Fix the CTA.', tasks: [{ title: 'Fix CTA', url: 'https://notion.test/p1' }] }

  it('posts one threaded reply with the marker in metadata, and finds it afterwards', async () => {
    const { rootTs } = slack.state.seedThread('C2', { messages: 3 })
    expect(await slackAdapter.findReply(ctx(), refOf('C2', rootTs), 'job-42')).toBeNull()
    const posted = await slackAdapter.postReply(ctx(), refOf('C2', rootTs), content)
    const post = slack.state.posts.at(-1)!
    expect(post).toMatchObject({ channel: 'C2', thread_ts: rootTs, ts: posted.id, metadata: { event_type: 'discubot_reply', event_payload: { marker: 'job-42' } } })
    expect(post.text).toContain('<https://notion.test/p1|Fix CTA>')
    expect(await slackAdapter.findReply(ctx(), refOf('C2', rootTs), 'job-42')).toEqual({ id: posted.id })
    expect(await slackAdapter.findReply(ctx(), refOf('C2', rootTs), 'job-43')).toBeNull()
    expect(slack.calls('conversations.replies').at(-1)!.args.include_all_metadata).toBe('true')
  })

  it('finds a marker on a later page', async () => {
    const { rootTs } = slack.state.seedThread('C2', { messages: 230 })
    const posted = await slackAdapter.postReply(ctx(), refOf('C2', rootTs), content)
    expect(await slackAdapter.findReply(ctx(), refOf('C2', rootTs), 'job-42')).toEqual({ id: posted.id })
  })

  it('maps chat.postMessage errors', async () => {
    const { rootTs } = slack.state.seedThread('C2')
    slack.faults.push(slackPlatformError('chat.postMessage', 'not_in_channel'))
    const permanent = await rejectionOf(slackAdapter.postReply(ctx(), refOf('C2', rootTs), content))
    expect(permanent).toBeInstanceOf(PermanentError)
    expect(permanent.message).toBe('Slack chat.postMessage failed: not_in_channel')
    slack.faults.push(slackPlatformError('chat.postMessage', 'fatal_error'))
    expect(await rejectionOf(slackAdapter.postReply(ctx(), refOf('C2', rootTs), content))).toBeInstanceOf(TransientError)
    expect(slack.state.posts.filter(p => p.thread_ts === rootTs)).toHaveLength(0)
  })

  it('refuses a Figma thread', async () => {
    const error = await rejectionOf(slackAdapter.fetchThread(ctx(), { kind: 'figma', fileKey: 'K', rootCommentId: '1', commentId: '1' }))
    expect(error).toBeInstanceOf(PermanentError)
  })
})

describe('slackAdapter.lookupUsers', () => {
  it('describes each user id with users.info, e-mail only with users:read.email, and reports failures per id', async () => {
    slack.state.addUser({ id: 'U0DANA', name: 'dana', realName: 'Dana Lee', displayName: 'dana', email: 'dana@acme.test' })
    const lookups = await slackAdapter.lookupUsers!(ctx(), refOf('C1', '1.0'), ['U0DANA', 'U0NOBODY', 'B0BOT'])
    expect(lookups).toEqual([
      { sourceUserId: 'U0DANA', profile: { sourceUserId: 'U0DANA', displayName: 'dana', realName: 'Dana Lee', email: 'dana@acme.test', avatarUrl: expect.stringContaining('U0DANA'), isBot: false } },
      { sourceUserId: 'U0NOBODY', error: 'Slack users.info failed: user_not_found', lasting: true },
    ])
    // A bot id is no user: never asked about.
    expect(slack.calls('users.info').map(call => call.args.user)).toEqual(['U0DANA', 'U0NOBODY'])
    slack.state.emailScope = false
    try {
      const [without] = await slackAdapter.lookupUsers!(ctx(), refOf('C1', '1.0'), ['U0DANA'])
      expect(without).toMatchObject({ profile: { email: null, realName: 'Dana Lee' } })
    }
    finally {
      slack.state.emailScope = true
    }
  })

  it('ends the round at a rate limit instead of waiting: ids not yet asked about are skipped', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `U0MANY${i}`)
    for (const id of ids) slack.state.addUser({ id, name: id.toLowerCase() })
    slack.faults.push({ ...rateLimited('users.info', 60), times: 10 })
    const lookups = await slackAdapter.lookupUsers!(ctx(), refOf('C1', '1.0'), ids)
    // Four were already on their way (the concurrency); none after the first 429 came back.
    expect(slack.calls('users.info')).toHaveLength(4)
    expect(lookups.filter(l => 'error' in l && l.error.startsWith('skipped: Slack users.info failed: rate limited'))).toHaveLength(6)
    expect(lookups.every(l => 'error' in l)).toBe(true)
  })
})
