import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { disconnectFigmaWebhook } from '#layers/discubot/server/connections/figma-webhook'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  return foundOr404(await disconnectFigmaWebhook(teamId, id, user.id), 'Source config')
})
