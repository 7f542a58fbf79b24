import { configCreateSchema } from '#layers/discubot/shared/config-input'
import { createTeamConfig } from '#layers/discubot/server/admin/configs'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  const input = await readValidatedBody(event, configCreateSchema.parse)
  setResponseStatus(event, 201)
  return createTeamConfig(teamId, input, user.id)
})
