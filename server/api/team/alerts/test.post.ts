import { sendTestAlert } from '#layers/discubot/server/admin/team-alerts'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamOwner(event)
  setResponseStatus(event, 202)
  return sendTestAlert(teamId, user.name || user.email)
})
