import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { configPatchSchema } from '#layers/discubot/shared/config-input'
import { updateTeamConfig } from '#layers/discubot/server/admin/configs'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const patch = await readValidatedBody(event, configPatchSchema.parse)
  return foundOr404(await updateTeamConfig(teamId, id, patch, user.id), 'Source config')
})
