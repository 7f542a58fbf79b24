import type { TeamMembers } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<TeamMembers> => {
  return listTeam(await requireTeamOwner(event))
})
