import { tokenQuerySchema } from '#layers/discubot/shared/auth-input'
import type { PasswordResetCheck } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<PasswordResetCheck> => {
  const { token } = await getValidatedQuery(event, inWords(tokenQuerySchema, 'Invalid input'))
  return checkPasswordReset(token)
})
