import { idParamSchema, retryOptionsSchema } from '#layers/discubot/shared/admin-input'
import { retryDiscussion } from '#layers/discubot/server/pipeline/retry'
import type { RetryQueued } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<RetryQueued> => {
  const { teamId, user } = await requireTeamMember(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const options = await readValidatedBody(event, retryOptionsSchema.parse)
  const { jobId } = await retryDiscussion({ teamId, discussionId: id, userId: user.id, options }).catch(rethrowControlError)
  setResponseStatus(event, 202)
  return { jobId }
})
