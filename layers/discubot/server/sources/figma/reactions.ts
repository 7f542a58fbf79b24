// Comment reactions (../shared/reference/figma-admin.md §5): POST and DELETE `…/comments/:id/reactions`
// with a `:shortcode:`. What Figma answers to a second add, to deleting an absent reaction or to
// reacting to a reply is not documented, so a 400/404 is judged by looking at the reactions: the
// wanted state already holds → done; otherwise Figma does not allow it there → unsupported.
import { z } from 'zod'
import type { Reaction } from '../../../shared/domain'
import { PermanentError } from '../../utils/errors'
import type { ReactionOutcome } from '../types'
import { figmaRequest, getFigmaMe, type FigmaCallContext } from './api'
import { figmaId } from './envelope'

const okSchema = z.looseObject({})
const reactionListSchema = z.looseObject({
  reactions: z.array(z.looseObject({ user: z.looseObject({ id: figmaId }).optional(), emoji: z.string() })),
})

export const figmaEmoji = (reaction: Reaction) => `:${reaction}:`

function reactionsPath(fileKey: string, commentId: string) {
  return `/v1/files/${encodeURIComponent(fileKey)}/comments/${encodeURIComponent(commentId)}/reactions`
}

/** Whether our own user has `emoji` on the comment; undefined when Figma will not show its reactions. */
async function hasOwnReaction(ctx: FigmaCallContext, fileKey: string, commentId: string, emoji: string): Promise<boolean | undefined> {
  try {
    const [me, { reactions }] = await Promise.all([
      getFigmaMe(ctx),
      figmaRequest(ctx, 'GET', reactionsPath(fileKey, commentId), reactionListSchema),
    ])
    return reactions.some(reaction => reaction.emoji === emoji && reaction.user?.id === me.id)
  }
  catch (error) {
    if (error instanceof PermanentError && (error.status === 400 || error.status === 404)) return undefined
    throw error
  }
}

export async function setFigmaReaction(ctx: FigmaCallContext, fileKey: string, commentId: string, reaction: Reaction, present: boolean): Promise<ReactionOutcome> {
  const emoji = figmaEmoji(reaction)
  const path = reactionsPath(fileKey, commentId)
  try {
    if (present) await figmaRequest(ctx, 'POST', path, okSchema, { emoji })
    else await figmaRequest(ctx, 'DELETE', `${path}?emoji=${encodeURIComponent(emoji)}`, okSchema)
    return 'done'
  }
  catch (error) {
    if (!(error instanceof PermanentError) || (error.status !== 400 && error.status !== 404)) throw error
    return await hasOwnReaction(ctx, fileKey, commentId, emoji) === present ? 'done' : 'unsupported'
  }
}
