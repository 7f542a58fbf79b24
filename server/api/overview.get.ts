import { getOverview } from '#layers/discubot/server/admin/overview'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  return getOverview(teamId)
})
