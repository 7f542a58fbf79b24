import { memberRoleSchema, userIdParamSchema } from '#layers/discubot/shared/team-input'
import type { TeamMember } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<TeamMember> => {
  const session = await requireTeamOwner(event)
  const { userId } = await getValidatedRouterParams(event, validInput(userIdParamSchema))
  const { role } = await readValidatedBody(event, validInput(memberRoleSchema))
  return changeMemberRole(session, userId, role)
})
