// A Figma comment thread: the root comment and its replies (one level deep), oldest first.
import type { ThreadMessage, ThreadPerson } from '../../../shared/schemas'
import { PermanentError } from '../../utils/errors'
import type { FigmaComment } from './api'
import { isOwnFigmaReply } from './reply'

export interface FigmaThread {
  root: FigmaComment
  comments: FigmaComment[]
}

/**
 * The thread `commentId` belongs to. A payload without `parent_id` names the reply itself as
 * root, so the root is resolved from the comment's own `parent_id` here.
 */
export function figmaThreadOf(all: FigmaComment[], fileKey: string, commentId: string): FigmaThread {
  const byId = new Map(all.map(comment => [comment.id, comment]))
  const anchor = byId.get(commentId)
  if (!anchor) throw new PermanentError(`Figma comment ${commentId} was not found in file ${fileKey} (deleted?)`, { service: 'Figma', status: 404 })
  const root = anchor.parent_id ? byId.get(anchor.parent_id) : anchor
  if (!root) throw new PermanentError(`Figma comment ${anchor.parent_id} (root of ${commentId}) was not found in file ${fileKey}`, { service: 'Figma', status: 404 })
  const replies = all.filter(comment => comment.parent_id === root.id)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id))
  return { root, comments: [root, ...replies] }
}

/** Our own replies are marked as bot messages so an analysis never reads them as people's words. */
export function toThreadMessage(comment: FigmaComment): ThreadMessage {
  return {
    id: comment.id,
    author: comment.user?.handle || comment.user?.id || 'unknown',
    ...(comment.user?.id ? { authorId: comment.user.id } : {}),
    text: comment.message,
    timestamp: comment.created_at,
    isBot: isOwnFigmaReply(comment.message),
  }
}

/** Figma names its people in every comment (handle, avatar): the thread's people need no lookup. */
export function figmaThreadPeople(comments: FigmaComment[]): ThreadPerson[] {
  const people = new Map<string, ThreadPerson>()
  for (const { user } of comments) {
    if (user?.id && !people.has(user.id)) people.set(user.id, { id: user.id, name: user.handle || user.id, ...(user.img_url ? { avatarUrl: user.img_url } : {}) })
  }
  return [...people.values()]
}
