import { listTeamConfigs } from '#layers/discubot/server/admin/configs'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  return listTeamConfigs(teamId)
})
