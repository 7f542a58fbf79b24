import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { checkTeamConfig } from '#layers/discubot/server/admin/configs'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  return foundOr404(await checkTeamConfig(teamId, id, user.id), 'Source config')
})
