import { userIdParamSchema } from '#layers/discubot/shared/team-input'
import type { OneTimeLink } from '#layers/discubot/shared/api'

/** Answers the link once; only its hash is kept. */
export default defineEventHandler(async (event): Promise<OneTimeLink> => {
  const session = await requireTeamOwner(event)
  const { userId } = await getValidatedRouterParams(event, inWords(userIdParamSchema, 'Invalid input'))
  setResponseStatus(event, 201)
  return createPasswordResetLink(session, userId)
})
