import { getDiscubotTeamById } from '#layers/discubot/collections/teams/server/database/queries'
import type { SessionInfo } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<SessionInfo> => {
  const { user, teamId, role } = await requireTeamSession(event)
  const team = foundOr404(await getDiscubotTeamById(teamId), 'Team')
  return { user, role, team: { id: team.id, name: team.name, slug: team.slug } }
})
