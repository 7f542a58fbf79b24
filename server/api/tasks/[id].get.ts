import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { getTaskDetail } from '#layers/discubot/server/admin/task-detail'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  return foundOr404(await getTaskDetail(teamId, id), 'Task')
})
