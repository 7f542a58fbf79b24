import { memberRoleSchema, userIdParamSchema } from '#layers/discubot/shared/team-input'
import type { TeamMember } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<TeamMember> => {
  const session = await requireTeamOwner(event)
  const { userId } = await getValidatedRouterParams(event, inWords(userIdParamSchema, 'Invalid input'))
  const { role } = await readValidatedBody(event, inWords(memberRoleSchema, 'Invalid input'))
  return changeMemberRole(session, userId, role)
})
