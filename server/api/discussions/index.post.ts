import { pastedConversationSchema } from '#layers/discubot/shared/conversation'
import { acceptPastedConversation } from '#layers/discubot/server/manual/hand-off'
import type { PasteQueued } from '#layers/discubot/shared/api'

/** A pasted conversation, run through the six stages as a `manual` discussion. */
export default defineEventHandler(async (event): Promise<PasteQueued> => {
  const { teamId, user } = await requireTeamMember(event)
  const conversation = await readValidatedBody(event, inWords(pastedConversationSchema, 'Conversation'))
  const queued = await acceptPastedConversation({ teamId, userId: user.id, conversation })
  setResponseStatus(event, 202)
  return queued
})
