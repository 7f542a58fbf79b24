import { getTeamAlerts } from '#layers/discubot/server/admin/team-alerts'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamOwner(event)
  return getTeamAlerts(teamId)
})
