import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { figmaWebhookConnectSchema } from '#layers/discubot/shared/figma-webhook-input'
import { connectFigmaWebhook } from '#layers/discubot/server/connections/figma-webhook'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const input = await readValidatedBody(event, figmaWebhookConnectSchema.parse)
  return foundOr404(await connectFigmaWebhook(teamId, id, input, user.id), 'Source config')
})
