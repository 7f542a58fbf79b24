import { teamAlertsInputSchema } from '#layers/discubot/shared/alerts-input'
import { saveTeamAlerts } from '#layers/discubot/server/admin/team-alerts'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  const input = await readValidatedBody(event, teamAlertsInputSchema.parse)
  return saveTeamAlerts(teamId, input, user.id)
})
