import { pastedConversationSchema } from '#layers/discubot/shared/conversation'
import { previewPastedConversation } from '#layers/discubot/server/manual/preview'
import type { DiscussionPreview } from '#layers/discubot/shared/api'

/** The dry run of a pasted conversation: the analysis and the columns its tasks would fill; writes nothing. */
export default defineEventHandler(async (event): Promise<DiscussionPreview> => {
  const { teamId } = await requireTeamMember(event)
  const conversation = await readValidatedBody(event, inWords(pastedConversationSchema, 'Conversation'))
  return previewPastedConversation(teamId, conversation).catch(rethrowServiceError)
})
