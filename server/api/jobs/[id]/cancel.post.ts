// Cancel a pending or delayed job (it ends failed, "Cancelled by <name>"), or ask a running one to
// stop at its next stage (202 with that message).
import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { cancelJob } from '#layers/discubot/server/pipeline/cancel'
import type { CancelResult } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<CancelResult> => {
  const { teamId, user } = await requireTeamMember(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const result = await cancelJob({ teamId, jobId: id, userId: user.id }).catch(rethrowControlError)
  if (result.status === 'cancelling') setResponseStatus(event, 202)
  return result
})
