import { idParamSchema } from '#layers/discubot/shared/admin-input'

export default defineEventHandler(async (event) => {
  const session = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, inWords(idParamSchema, 'Invalid input'))
  await revokeInvite(session, id)
  return { ok: true }
})
