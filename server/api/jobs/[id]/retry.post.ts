// A failed job again: through its discussion, or from its stored delivery when it failed before
// the discussion existed. Options: fetch the thread again, analyse again.
import { idParamSchema, retryOptionsSchema } from '#layers/discubot/shared/admin-input'
import { retryJob } from '#layers/discubot/server/pipeline/retry'
import type { RetryQueued } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<RetryQueued> => {
  const { teamId, user } = await requireTeamMember(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const options = await readValidatedBody(event, retryOptionsSchema.parse)
  const { jobId } = await retryJob({ teamId, jobId: id, userId: user.id, options }).catch(rethrowControlError)
  setResponseStatus(event, 202)
  return { jobId }
})
