// Every Slack body shape from the reference, interpreted for one config.
import { describe, expect, it } from 'vitest'
import { parseSlackDelivery, readSlackEnvelope } from '#layers/discubot/server/sources/slack/delivery'
import { mrkdwnToText } from '#layers/discubot/shared/mrkdwn'
import { DeliveryRejection } from '#layers/discubot/server/sources/rejection'
import { discussionInputSchema } from '#layers/discubot/shared/schemas'
import { thrownBy } from '../support/caught'
import { slackAppMention, slackUrlVerification } from '../standins/signing'

const config = { botUserId: 'U0DISCUBOT', slackChannelIds: [] as string[] }

const rejection = (run: () => unknown) => thrownBy(run, DeliveryRejection)

describe('parseSlackDelivery', () => {
  it('answers url_verification with its challenge', () => {
    expect(parseSlackDelivery(slackUrlVerification('abc123'), config)).toEqual({ kind: 'challenge', challenge: 'abc123' })
  })

  it('turns a top-level app_mention into a discussion rooted at its ts', () => {
    const body = slackAppMention({ teamId: 'T1', channel: 'C1', ts: '1700000000.000100', user: 'U0ALICE', text: '<@U0DISCUBOT> can we fix the *checkout* CTA &amp; copy?' })
    const parsed = parseSlackDelivery(body, config)
    expect(parsed).toEqual({
      kind: 'discussion',
      eventId: 'T1:C1:1700000000.000100',
      redelivery: false,
      input: {
        sourceType: 'slack',
        sourceThreadId: 'T1:C1:1700000000.000100',
        sourceUrl: 'https://slack.com/app_redirect?team=T1&channel=C1&message_ts=1700000000.000100',
        title: 'can we fix the *checkout* CTA & copy?',
        content: '<@U0DISCUBOT> can we fix the *checkout* CTA &amp; copy?',
        authorHandle: 'U0ALICE',
        thread: { kind: 'slack', workspaceId: 'T1', channel: 'C1', threadTs: '1700000000.000100', messageTs: '1700000000.000100', userId: 'U0ALICE' },
      },
    })
    if (parsed.kind === 'discussion') expect(discussionInputSchema.parse(parsed.input)).toEqual(parsed.input)
  })

  it('roots a mention inside a thread at thread_ts, keyed on the mentioning message', () => {
    const parsed = parseSlackDelivery(slackAppMention({ teamId: 'T1', channel: 'C1', ts: '1700000050.000200', threadTs: '1700000000.000100' }), config)
    expect(parsed.kind).toBe('discussion')
    if (parsed.kind !== 'discussion') return
    expect(parsed.input.sourceThreadId).toBe('T1:C1:1700000000.000100')
    expect(parsed.input.thread).toMatchObject({ threadTs: '1700000000.000100', messageTs: '1700000050.000200' })
    expect(parsed.eventId).toBe('T1:C1:1700000050.000200')
  })

  it('gives the same event id to a retry and to the same message under another event_id', () => {
    const first = parseSlackDelivery(slackAppMention({ ts: '1700000000.000100', eventId: 'Ev1' }), config)
    const again = parseSlackDelivery(slackAppMention({ ts: '1700000000.000100', eventId: 'Ev2' }), config, { redelivery: true })
    expect(first.kind === 'discussion' && again.kind === 'discussion' && first.eventId === again.eventId).toBe(true)
    expect(again).toMatchObject({ redelivery: true })
  })

  it('titles with the first 80 characters, without the mention', () => {
    const long = `<@U0DISCUBOT>   ${'word '.repeat(40)}`
    const parsed = parseSlackDelivery(slackAppMention({ text: long }), config)
    if (parsed.kind !== 'discussion') throw new Error('expected a discussion')
    expect(parsed.input.title.startsWith('word word')).toBe(true)
    expect(Array.from(parsed.input.title).length).toBeLessThanOrEqual(80)
    expect(parsed.input.title.endsWith('…')).toBe(true)
  })

  it('falls back to a channel title when the message is only the mention', () => {
    const parsed = parseSlackDelivery(slackAppMention({ channel: 'C9', text: '<@U0DISCUBOT>' }), config)
    expect(parsed.kind === 'discussion' && parsed.input.title).toBe('Slack thread in C9')
  })

  it.each([
    ['a bot_id', { bot_id: 'B0OTHER' }],
    ['subtype bot_message', { subtype: 'bot_message' }],
    ['our own bot user', { user: 'U0DISCUBOT' }],
    ['message_changed', { subtype: 'message_changed' }],
    ['channel_join', { subtype: 'channel_join' }],
  ])('ignores a mention from %s', (_, event) => {
    const parsed = parseSlackDelivery(slackAppMention({ event }), config)
    expect(parsed.kind).toBe('ignore')
  })

  it('keeps thread_broadcast and file_share mentions (they are people talking)', () => {
    for (const subtype of ['thread_broadcast', 'file_share']) {
      expect(parseSlackDelivery(slackAppMention({ event: { subtype } }), config).kind).toBe('discussion')
    }
  })

  it('ignores channels outside the config filter and accepts those inside', () => {
    const filtered = { ...config, slackChannelIds: ['C1'] }
    expect(parseSlackDelivery(slackAppMention({ channel: 'C2' }), filtered)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('C2') })
    expect(parseSlackDelivery(slackAppMention({ channel: 'C1' }), filtered).kind).toBe('discussion')
  })

  it('ignores plain message events and other event types', () => {
    const message = slackAppMention({ event: { type: 'message', channel_type: 'channel' } })
    expect(parseSlackDelivery(message, config)).toEqual({ kind: 'ignore', reason: 'event type message', eventId: expect.any(String) })
    const reaction = { ...slackAppMention(), event: { type: 'reaction_added', user: 'U1', reaction: 'eyes', event_ts: '1.2' } }
    expect(parseSlackDelivery(reaction, config)).toEqual({ kind: 'ignore', reason: 'event type reaction_added', eventId: expect.any(String) })
  })

  it('ignores app_rate_limited and unknown envelope types', () => {
    expect(parseSlackDelivery({ type: 'app_rate_limited', team_id: 'T1', minute_rate_limited: 1518467820, api_app_id: 'A1' }, config).kind).toBe('ignore')
    expect(parseSlackDelivery({ type: 'something_new' }, config).kind).toBe('ignore')
  })

  it('rejects malformed bodies with a 400 naming the field', () => {
    expect(rejection(() => parseSlackDelivery({}, config))).toMatchObject({ statusCode: 400, message: expect.stringContaining('type') })
    expect(rejection(() => parseSlackDelivery({ type: 42 }, config)).message).toContain('type')
    expect(rejection(() => parseSlackDelivery({ type: 'url_verification' }, config)).message).toContain('challenge')
    const noTeam = { ...slackAppMention(), team_id: undefined }
    expect(rejection(() => parseSlackDelivery(noTeam, config)).message).toContain('team_id')
    const noEvent = { ...slackAppMention(), event: undefined }
    expect(rejection(() => parseSlackDelivery(noEvent, config)).message).toContain('event')
    const floatTs = slackAppMention({ event: { ts: 1700000000.0001 } })
    expect(rejection(() => parseSlackDelivery(floatTs, config)).message).toContain('event.ts')
    const noChannel = slackAppMention({ event: { channel: undefined } })
    expect(rejection(() => parseSlackDelivery(noChannel, config)).message).toContain('event.channel')
    const badThreadTs = slackAppMention({ threadTs: 'yesterday' })
    expect(rejection(() => parseSlackDelivery(badThreadTs, config)).message).toContain('event.thread_ts')
  })

  it('reads the envelope type', () => {
    expect(readSlackEnvelope(slackAppMention({ teamId: 'T7' }))).toEqual({ type: 'event_callback' })
  })
})

describe('mrkdwnToText', () => {
  it('renders Slack markup as people read it (mentions dropped, as in titles)', () => {
    expect(mrkdwnToText('<@U123> see <#C1|general>, <https://x.test/a|the doc> and <https://y.test> <!here> &lt;b&gt;', { mention: () => ' ' }))
      .toBe('  see #general, the doc and https://y.test @here <b>')
  })
})
