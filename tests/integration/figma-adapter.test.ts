// The Figma adapter (fetch + X-Figma-Token) against the local Figma stand-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { figmaAdapter } from '#layers/discubot/server/sources/figma/adapter'
import { getSourceAdapter } from '#layers/discubot/server/sources/registry'
import type { SourceCallContext } from '#layers/discubot/server/sources/types'
import type { DiscubotConfig } from '#layers/discubot/collections/configs/server/database/schema'
import type { FigmaThreadRef } from '#layers/discubot/shared/schemas'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import { resolveSettings } from '#layers/discubot/server/utils/settings'
import { rejectionOf } from '../support/caught'
import { dropConnection, rateLimited, serverError, slowAnswer } from '../standins/http-standin'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'

let figma: FigmaStandin
const config = { id: 'cfg-f', teamId: 'team-1', sourceType: 'figma', name: 'Figma', botUserId: '900001' } as DiscubotConfig
const ctx = (overrides: Partial<SourceCallContext> = {}): SourceCallContext => ({
  config,
  secrets: { figmaToken: figma.state.token },
  settings: resolveSettings({ figmaApiUrl: figma.url, httpTimeoutMs: 500 }),
  ...overrides,
})
const ref = (fileKey: string, rootCommentId: string, commentId = rootCommentId): FigmaThreadRef => ({ kind: 'figma', fileKey, rootCommentId, commentId })
const content = { marker: 'job-7', summary: 'Fix the CTA.', tasks: [{ title: 'Fix CTA', url: 'https://notion.test/p1' }] }

function seedThread(fileKey: string, replies = 2) {
  const root = figma.state.addComment(fileKey, { message: 'Can we @discubot fix the CTA?' })
  const others = figma.state.addComment(fileKey, { message: 'Unrelated thread' })
  const answers = Array.from({ length: replies }, (_, i) => figma.state.addComment(fileKey, { message: `Reply ${i + 1}`, parentId: root.id, user: { id: '812345', handle: 'Dana' } }))
  return { root, others, answers }
}

beforeAll(async () => {
  figma = await startFigmaStandin()
})
afterAll(() => figma.stop())
beforeEach(() => {
  figma.faults.clear()
  figma.requests.length = 0
})

describe('figmaAdapter.fetchThread', () => {
  it('is what the registry returns for figma', () => {
    expect(getSourceAdapter('figma')).toBe(figmaAdapter)
  })

  it('returns the root and its replies oldest first, and nothing of other threads', async () => {
    const { root, answers } = seedThread('F1')
    const thread = await figmaAdapter.fetchThread(ctx(), ref('F1', root.id))
    expect(thread.pages).toBe(1)
    expect(thread.messages.map(m => m.id)).toEqual([root.id, ...answers.map(a => a.id)])
    expect(thread.messages[1]).toMatchObject({ author: 'Dana', authorId: '812345', text: 'Reply 1', isBot: false })
    expect(figma.requests[0]!.headers['x-figma-token']).toBe(figma.state.token)
  })

  it('resolves the root when the webhook named a reply as its own root (no parent_id)', async () => {
    const { root, answers } = seedThread('F1')
    const thread = await figmaAdapter.fetchThread(ctx(), ref('F1', answers[1]!.id))
    expect(thread.messages[0]!.id).toBe(root.id)
    expect(thread.messages).toHaveLength(3)
  })

  it('fails permanently on a deleted comment, a missing file and a bad token', async () => {
    seedThread('F1')
    const gone = await rejectionOf(figmaAdapter.fetchThread(ctx(), ref('F1', '424242')))
    expect(gone).toBeInstanceOf(PermanentError)
    expect(gone.message).toContain('424242')
    const missing = await rejectionOf(figmaAdapter.fetchThread(ctx(), ref('NOFILE', '1')))
    expect(missing).toBeInstanceOf(PermanentError)
    expect(missing.message).toBe('Figma GET /v1/files/NOFILE/comments failed: 404 Not found')
    const denied = await rejectionOf(figmaAdapter.fetchThread(ctx({ secrets: { figmaToken: 'wrong' } }), ref('F1', '1')))
    expect(denied).toBeInstanceOf(PermanentError)
    expect(denied.message).toBe('Figma GET /v1/files/F1/comments failed: 403 Invalid token')
  })

  it('reports 429 with Retry-After as transient', async () => {
    const { root } = seedThread('F1')
    figma.faults.push(rateLimited('GET /v1/files/:key/comments', 20, { status: 429, err: 'Rate limit exceeded' }))
    const error = await rejectionOf(figmaAdapter.fetchThread(ctx(), ref('F1', root.id)))
    expect(error).toBeInstanceOf(TransientError)
    expect(error).toMatchObject({ retryAfterMs: 20_000, status: 429 })
    expect(error.message).toBe('Figma GET /v1/files/F1/comments failed: 429 Rate limit exceeded')
  })

  it.each([
    ['a 500', serverError('GET /v1/files/:key/comments', 500, { status: 500, err: 'Internal error' })],
    ['a slow answer beyond the timeout', slowAnswer('GET /v1/files/:key/comments', 1500)],
    ['a dropped connection', dropConnection('GET /v1/files/:key/comments')],
  ])('reports %s as transient', async (_, fault) => {
    const { root } = seedThread('F1')
    figma.faults.push(fault)
    const error = await rejectionOf(figmaAdapter.fetchThread(ctx(), ref('F1', root.id)))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toMatch(/^Figma GET \/v1\/files\/F1\/comments failed: /)
  })
})

describe('figmaAdapter replies', () => {
  it('replies on the root with the marker line and finds it afterwards', async () => {
    const { root } = seedThread('F2')
    expect(await figmaAdapter.findReply(ctx(), ref('F2', root.id), 'job-7')).toBeNull()
    const posted = await figmaAdapter.postReply(ctx(), ref('F2', root.id), content)
    const post = figma.state.posts.at(-1)!
    expect(post).toMatchObject({ id: posted.id, parent_id: root.id, user: { id: '900001' } })
    expect(post.message).toContain('Fix CTA: https://notion.test/p1')
    expect(post.message.endsWith('[discubot:job-7]')).toBe(true)
    expect(await figmaAdapter.findReply(ctx(), ref('F2', root.id), 'job-7')).toEqual({ id: posted.id })
    expect(await figmaAdapter.findReply(ctx(), ref('F2', root.id), 'job-8')).toBeNull()
    // The thread as read later shows our reply as a bot message.
    expect((await figmaAdapter.fetchThread(ctx(), ref('F2', root.id))).messages.at(-1)).toMatchObject({ id: posted.id, isBot: true })
  })

  it('replies on the real root when the webhook named a reply (Figma rejects replies to replies)', async () => {
    const { root, answers } = seedThread('F2')
    await figmaAdapter.postReply(ctx(), ref('F2', answers[0]!.id), content)
    expect(figma.state.posts.at(-1)!.parent_id).toBe(root.id)
  })

  it('trusts the root the webhook named (one POST, no lookup)', async () => {
    const { root, answers } = seedThread('F2')
    await figmaAdapter.postReply(ctx(), ref('F2', root.id, answers[0]!.id), content)
    expect(figma.requests.map(r => r.route)).toEqual(['POST /v1/files/:key/comments'])
  })

  it('maps POST failures: 400 permanent with Figma\'s message, 500 transient', async () => {
    const { root } = seedThread('F2')
    figma.faults.push({ kind: 'respond', route: 'POST /v1/files/:key/comments', status: 400, body: { status: 400, error: true, message: 'Invalid comment_id' } })
    const bad = await rejectionOf(figmaAdapter.postReply(ctx(), ref('F2', root.id), content))
    expect(bad).toBeInstanceOf(PermanentError)
    expect(bad.message).toBe('Figma POST /v1/files/F2/comments failed: 400 Invalid comment_id')
    figma.faults.push(serverError('POST /v1/files/:key/comments', 500, { status: 500, err: 'Internal error' }))
    expect(await rejectionOf(figmaAdapter.postReply(ctx(), ref('F2', root.id), content))).toBeInstanceOf(TransientError)
  })
})
