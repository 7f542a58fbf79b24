import { idParamSchema } from '#layers/discubot/shared/admin-input'

export default defineEventHandler(async (event) => {
  const session = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, validInput(idParamSchema))
  await revokeInvite(session, id)
  return { ok: true }
})
