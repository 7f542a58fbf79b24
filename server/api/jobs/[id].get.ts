import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { getJobDetail } from '#layers/discubot/server/admin/job-detail'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  return foundOr404(await getJobDetail(teamId, id), 'Job')
})
