// Figma behind the SourceAdapter interface: the thread from the file's comments, the reply as a
// comment on the root, found again by its marker line after a crash, reactions on the mentioning
// comment. Comments cannot be edited through the API, so there is no updateReply.
import type { FigmaThreadRef, ThreadRef } from '../../../shared/schemas'
import { PermanentError } from '../../utils/errors'
import type { SourceAdapter, SourceCallContext } from '../types'
import { getFigmaMe, listFigmaComments, postFigmaComment } from './api'
import { formatFigmaReply, isFigmaReplyFor } from './reply'
import { setFigmaReaction } from './reactions'
import { figmaThreadOf, figmaThreadPeople, toThreadMessage, type FigmaThread } from './thread'

function figmaRef(ref: ThreadRef): FigmaThreadRef {
  if (ref.kind !== 'figma') throw new PermanentError(`The Figma source cannot handle a ${ref.kind} thread`)
  return ref
}

async function loadThread(ctx: SourceCallContext, ref: FigmaThreadRef): Promise<FigmaThread> {
  return figmaThreadOf(await listFigmaComments(ctx, ref.fileKey), ref.fileKey, ref.rootCommentId)
}

export const figmaAdapter: SourceAdapter = {
  sourceType: 'figma',
  replies: true,

  async identify(ctx) {
    const me = await getFigmaMe(ctx)
    return { userId: me.id, userName: me.handle }
  },

  async fetchThread(ctx, ref) {
    const { comments } = await loadThread(ctx, figmaRef(ref))
    return { messages: comments.map(toThreadMessage), fetchedAt: new Date().toISOString(), pages: 1, people: figmaThreadPeople(comments) }
  },

  async findReply(ctx, ref, marker) {
    const { comments } = await loadThread(ctx, figmaRef(ref))
    const ours = comments.slice(1).find(comment => isFigmaReplyFor(comment.message, marker))
    return ours ? { id: ours.id } : null
  },

  async postReply(ctx, ref, reply) {
    const thread = figmaRef(ref)
    // Replies must target a root. A payload without parent_id made the comment its own root:
    // look it up then; otherwise the webhook already named the root.
    const rootId = thread.rootCommentId === thread.commentId
      ? (await loadThread(ctx, thread)).root.id
      : thread.rootCommentId
    const posted = await postFigmaComment(ctx, thread.fileKey, formatFigmaReply(reply), rootId)
    return { id: posted.id }
  },

  async react(ctx, ref, reaction) {
    const thread = figmaRef(ref)
    return setFigmaReaction(ctx, thread.fileKey, thread.commentId, reaction, true)
  },

  async unreact(ctx, ref, reaction) {
    const thread = figmaRef(ref)
    return setFigmaReaction(ctx, thread.fileKey, thread.commentId, reaction, false)
  },
}
