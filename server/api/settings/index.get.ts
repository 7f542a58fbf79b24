import { getInstanceSettings } from '#layers/discubot/server/admin/instance-settings'

export default defineEventHandler(async (event) => {
  await requireTeamSession(event)
  return getInstanceSettings()
})
