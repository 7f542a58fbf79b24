import { getSchedules } from '#layers/discubot/server/admin/schedules'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  return getSchedules(teamId)
})
