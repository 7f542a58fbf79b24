import { userIdParamSchema } from '#layers/discubot/shared/team-input'

/** Their sessions end at once (every instance checks the session version on every request). */
export default defineEventHandler(async (event) => {
  const session = await requireTeamOwner(event)
  const { userId } = await getValidatedRouterParams(event, inWords(userIdParamSchema, 'Invalid input'))
  await removeMember(session, userId)
  return { ok: true }
})
