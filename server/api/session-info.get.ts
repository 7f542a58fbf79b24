import { getDiscubotTeamById } from '#layers/discubot/collections/teams/server/database/queries'

export default defineEventHandler(async (event) => {
  const { user, teamId, role } = await requireTeamSession(event)
  const team = foundOr404(await getDiscubotTeamById(teamId), 'Team')
  return { user, role, team: { id: team.id, name: team.name, slug: team.slug } }
})
