// Every Figma webhook shape from the reference, interpreted for one config.
import { describe, expect, it } from 'vitest'
import { parseFigmaDelivery, renderFigmaComment } from '#layers/discubot/server/sources/figma/delivery'
import { DeliveryRejection } from '#layers/discubot/server/sources/rejection'
import { discussionInputSchema } from '#layers/discubot/shared/schemas'
import { thrownBy } from '../support/caught'
import { figmaFileComment, figmaPing } from '../standins/signing'

const config = { botUserId: '900001', figmaFileKeys: [] as string[], triggerKeyword: '@discubot' }
const passcode = 's3cret'

const rejection = (run: () => unknown) => thrownBy(run, DeliveryRejection)

describe('parseFigmaDelivery', () => {
  it('acknowledges PING (string or numeric webhook_id)', () => {
    expect(parseFigmaDelivery(figmaPing({ passcode }), config)).toEqual({ kind: 'ping' })
    expect(parseFigmaDelivery(figmaPing({ passcode, webhookId: 22 }), config)).toEqual({ kind: 'ping' })
  })

  it('turns the reference example (a root comment mentioning the bot) into a discussion', () => {
    const parsed = parseFigmaDelivery(figmaFileComment({ passcode, fileKey: 'AbC123', commentId: '1002' }), config)
    expect(parsed).toEqual({
      kind: 'discussion',
      eventId: '22:AbC123:1002',
      redelivery: false,
      input: {
        sourceType: 'figma',
        sourceThreadId: 'AbC123:1002',
        sourceUrl: 'https://www.figma.com/file/AbC123?comment=1002',
        title: 'Can we fix the CTA?',
        content: 'Can we @discubot fix the CTA?',
        authorHandle: 'Lee',
        thread: { kind: 'figma', fileKey: 'AbC123', fileName: 'Checkout v2', rootCommentId: '1002', commentId: '1002', authorId: '799' },
      },
    })
    if (parsed.kind === 'discussion') expect(discussionInputSchema.parse(parsed.input)).toEqual(parsed.input)
  })

  it('roots a reply at its parent_id; an empty parent_id means a root', () => {
    const reply = parseFigmaDelivery(figmaFileComment({ passcode, commentId: '1010', parentId: '1002' }), config)
    expect(reply).toMatchObject({ kind: 'discussion', eventId: '22:AbC123:1010', input: { sourceThreadId: 'AbC123:1002', thread: { rootCommentId: '1002', commentId: '1010' } } })
    const root = parseFigmaDelivery(figmaFileComment({ passcode, commentId: '1011', parentId: '' }), config)
    expect(root).toMatchObject({ input: { sourceThreadId: 'AbC123:1011' } })
  })

  it('matches the trigger keyword in text fragments, case-insensitively', () => {
    const parsed = parseFigmaDelivery(figmaFileComment({ passcode, comment: [{ text: 'Hey @DiscuBot, summarise please' }], mentions: [] }), config)
    expect(parsed).toMatchObject({ kind: 'discussion', input: { title: 'Hey summarise please' } })
  })

  it('uses the config keyword', () => {
    const custom = { ...config, triggerKeyword: '#tasks' }
    expect(parseFigmaDelivery(figmaFileComment({ passcode, comment: [{ text: 'make #TASKS of this' }] }), custom).kind).toBe('discussion')
    expect(parseFigmaDelivery(figmaFileComment({ passcode }), custom).kind).toBe('ignore')
  })

  it('ignores comments without the keyword (a mention of someone else is not the trigger)', () => {
    const parsed = parseFigmaDelivery(figmaFileComment({ passcode, comment: [{ text: 'cc ' }, { mention: '812345' }], mentions: [{ id: '812345', handle: 'Dana' }] }), config)
    expect(parsed).toEqual({ kind: 'ignore', reason: 'comment does not contain @discubot', eventId: expect.any(String) })
  })

  it('ignores our own replies by their marker, whoever posted them (no loop)', () => {
    const reply = 'Discubot summary:\nIt starts: “@discubot please turn this into tasks”\n\nNo tasks detected.\n\n[discubot:job-1]'
    for (const author of [{ id: '900001', handle: 'Token owner' }, { id: '812345', handle: 'Someone else' }]) {
      const parsed = parseFigmaDelivery(figmaFileComment({ passcode, triggeredBy: author, comment: [{ text: reply }] }), config)
      expect(parsed).toEqual({ kind: 'ignore', reason: 'our own reply', eventId: expect.any(String) })
    }
  })

  it('takes a human comment by the token\'s own account that mentions the trigger (a personal token is a person)', () => {
    const parsed = parseFigmaDelivery(figmaFileComment({ passcode, triggeredBy: { id: '900001', handle: 'Token owner' }, comment: [{ text: '@discubot can you track the icon fixes?' }] }), config)
    expect(parsed.kind).toBe('discussion')
  })

  it('filters by file key when the config lists files', () => {
    const filtered = { ...config, figmaFileKeys: ['KEEP'] }
    expect(parseFigmaDelivery(figmaFileComment({ passcode, fileKey: 'OTHER' }), filtered).kind).toBe('ignore')
    expect(parseFigmaDelivery(figmaFileComment({ passcode, fileKey: 'KEEP' }), filtered).kind).toBe('discussion')
  })

  it('ignores other event types', () => {
    for (const eventType of ['FILE_UPDATE', 'FILE_VERSION_UPDATE', 'FILE_DELETE', 'LIBRARY_PUBLISH', 'DEV_MODE_STATUS_UPDATE']) {
      expect(parseFigmaDelivery({ event_type: eventType, passcode, webhook_id: '22', file_key: 'k', timestamp: 'now' }, config)).toEqual({ kind: 'ignore', reason: `event type ${eventType}` })
    }
  })

  it('marks retried deliveries and accepts numeric ids', () => {
    const parsed = parseFigmaDelivery({ ...figmaFileComment({ passcode, retries: 2, webhookId: 22 }), comment_id: 1002 }, config)
    expect(parsed).toMatchObject({ kind: 'discussion', redelivery: true, eventId: '22:AbC123:1002' })
  })

  it('rejects malformed payloads with a 400 naming the field', () => {
    expect(rejection(() => parseFigmaDelivery({ passcode, webhook_id: '22' }, config)).message).toContain('event_type')
    expect(rejection(() => parseFigmaDelivery({ event_type: 'PING', passcode }, config)).message).toContain('webhook_id')
    const base = figmaFileComment({ passcode })
    expect(rejection(() => parseFigmaDelivery({ ...base, file_key: undefined }, config)).message).toContain('file_key')
    expect(rejection(() => parseFigmaDelivery({ ...base, comment: 'text' }, config)).message).toContain('comment')
    expect(rejection(() => parseFigmaDelivery({ ...base, triggered_by: undefined }, config)).message).toContain('triggered_by')
    expect(rejection(() => parseFigmaDelivery({ ...base, comment_id: true }, config))).toMatchObject({ statusCode: 400, message: expect.stringContaining('comment_id') })
    // Found by the hostile-input run: these went into encodeURIComponent and answered 500.
    expect(rejection(() => parseFigmaDelivery({ ...base, file_key: '\uD800' }, config))).toMatchObject({ statusCode: 400, message: expect.stringContaining('file_key') })
    expect(rejection(() => parseFigmaDelivery({ ...base, file_key: 'a/b?c' }, config))).toMatchObject({ statusCode: 400, message: expect.stringContaining('file_key') })
    expect(rejection(() => parseFigmaDelivery({ ...base, comment_id: 'x\uDC00' }, config))).toMatchObject({ statusCode: 400, message: expect.stringContaining('comment_id') })
    expect(rejection(() => parseFigmaDelivery({ ...base, parent_id: '\uD83D' }, config))).toMatchObject({ statusCode: 400, message: expect.stringContaining('parent_id') })
  })
})

describe('renderFigmaComment', () => {
  it('joins fragments and renders mentions by handle (or id when unknown)', () => {
    expect(renderFigmaComment({ comment: [{ text: 'Can we ' }, { mention: '812345' }, { text: ' and ' }, { mention: '4' }, { text: ' fix it?' }], mentions: [{ id: '812345', handle: 'Dana' }] }))
      .toBe('Can we @Dana and @4 fix it?')
  })
})
