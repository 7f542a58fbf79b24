import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { discardJob } from '#layers/discubot/server/pipeline/discard'
import type { DiscardResult } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<DiscardResult> => {
  const { teamId, user } = await requireTeamMember(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  return discardJob({ teamId, jobId: id, userId: user.id }).catch(rethrowControlError)
})
