import { settingsPatchSchema } from '#layers/discubot/shared/admin-input'
import { updateInstanceSettings } from '#layers/discubot/server/admin/instance-settings'

export default defineEventHandler(async (event) => {
  const { user } = await requireInstanceAdmin(event)
  const patch = await readValidatedBody(event, settingsPatchSchema.parse)
  return updateInstanceSettings(patch, user.id)
})
