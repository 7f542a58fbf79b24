import { tokenQuerySchema } from '#layers/discubot/shared/auth-input'
import type { InviteCheck } from '#layers/discubot/shared/api'

/** Lets the invite page show the team, the role and what to type (a 400 says why a link is dead). */
export default defineEventHandler(async (event): Promise<InviteCheck> => {
  const { token } = await getValidatedQuery(event, inWords(tokenQuerySchema, 'Invalid input'))
  return checkInvite(token)
})
