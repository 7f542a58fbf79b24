// What a Figma delivery (passcode already checked) asks of us: a PING, a comment thread that
// mentions the trigger keyword, or nothing (with the reason).
import type { SourceConfig } from '../../../shared/source-config'
import type { DiscussionInput } from '../../../shared/schemas'
import type { ParsedDelivery } from '../types'
import { parseOrReject } from '../rejection'
import { CONTENT_MAX_CHARS, titleFrom, truncate } from '../text'
import { isOwnFigmaReply } from './reply'
import { figmaBodySchema, figmaFileCommentSchema, type FigmaBody, type FigmaFileComment } from './envelope'

export type FigmaDeliveryConfig = Pick<SourceConfig, 'figmaFileKeys' | 'triggerKeyword'>

export const DEFAULT_TRIGGER_KEYWORD = '@discubot'

export function readFigmaEnvelope(json: unknown): FigmaBody {
  return parseOrReject(figmaBodySchema, json, 'Invalid Figma webhook')
}

/** The comment as people read it: text fragments joined, mentions as `@handle`. */
export function renderFigmaComment(comment: Pick<FigmaFileComment, 'comment' | 'mentions'>): string {
  const handles = new Map((comment.mentions ?? []).map(user => [user.id, user.handle ?? user.id]))
  return comment.comment.map((fragment) => {
    if (fragment.mention !== undefined) return `@${handles.get(fragment.mention) ?? fragment.mention}`
    return fragment.text ?? ''
  }).join('')
}

/** Replies arrive with `parent_id` (real payloads; often "" on roots). Without it, the comment is taken as the root and the adapter resolves it. */
export function figmaRootCommentId(comment: Pick<FigmaFileComment, 'comment_id' | 'parent_id'>): string {
  return comment.parent_id ? comment.parent_id : comment.comment_id
}

export function figmaEventId(comment: Pick<FigmaFileComment, 'webhook_id' | 'file_key' | 'comment_id'>): string {
  return `${comment.webhook_id}:${comment.file_key}:${comment.comment_id}`
}

export function figmaCommentUrl(fileKey: string, commentId: string): string {
  return `https://www.figma.com/file/${encodeURIComponent(fileKey)}?comment=${encodeURIComponent(commentId)}`
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function ignoreReason(comment: FigmaFileComment, text: string, keyword: string, config: FigmaDeliveryConfig): string | null {
  // Figma delivers our own replies as FILE_COMMENTs too, and they quote the thread (trigger included).
  if (isOwnFigmaReply(text)) return 'our own reply'
  const files = config.figmaFileKeys ?? []
  if (files.length > 0 && !files.includes(comment.file_key)) return `file ${comment.file_key} is not in the config's file list`
  if (!text.toLowerCase().includes(keyword.toLowerCase())) return `comment does not contain ${keyword}`
  return null
}

function discussionFrom(comment: FigmaFileComment, text: string, keyword: string): DiscussionInput {
  const root = figmaRootCommentId(comment)
  const withoutTrigger = text.replace(new RegExp(`${escapeRegExp(keyword)}[,:]?`, 'gi'), ' ')
  return {
    sourceType: 'figma',
    sourceThreadId: `${comment.file_key}:${root}`,
    sourceUrl: figmaCommentUrl(comment.file_key, root),
    title: titleFrom(withoutTrigger, `Figma comment on ${comment.file_name || comment.file_key}`),
    content: truncate(text, CONTENT_MAX_CHARS),
    authorHandle: truncate(comment.triggered_by.handle || comment.triggered_by.id, 200),
    thread: {
      kind: 'figma',
      fileKey: comment.file_key,
      ...(comment.file_name ? { fileName: comment.file_name } : {}),
      rootCommentId: root,
      commentId: comment.comment_id,
      authorId: comment.triggered_by.id,
    },
  }
}

/**
 * Interprets a Figma body for `config` (the config whose passcode it carries). Throws a
 * `DeliveryRejection` (400) naming the field when a body we act on is malformed.
 */
export function parseFigmaDelivery(json: unknown, config: FigmaDeliveryConfig): Exclude<ParsedDelivery, { kind: 'challenge' }> {
  const body = readFigmaEnvelope(json)
  if (body.event_type === 'PING') return { kind: 'ping' }
  if (body.event_type !== 'FILE_COMMENT') return { kind: 'ignore', reason: `event type ${body.event_type}` }

  const comment = parseOrReject(figmaFileCommentSchema, json, 'Invalid Figma FILE_COMMENT')
  const text = renderFigmaComment(comment)
  const keyword = config.triggerKeyword?.trim() || DEFAULT_TRIGGER_KEYWORD
  const reason = ignoreReason(comment, text, keyword, config)
  if (reason) return { kind: 'ignore', reason, eventId: figmaEventId(comment) }
  return {
    kind: 'discussion',
    eventId: figmaEventId(comment),
    input: discussionFrom(comment, text, keyword),
    redelivery: (comment.retries ?? 0) > 0,
  }
}
