import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { describeFigmaWebhook } from '#layers/discubot/server/connections/figma-webhook'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  return foundOr404(await describeFigmaWebhook(teamId, id), 'Source config')
})
