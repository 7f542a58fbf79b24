import { passwordResetSchema } from '#layers/discubot/shared/auth-input'

export default defineEventHandler(async (event) => {
  const input = await readValidatedBody(event, inWords(passwordResetSchema, 'Invalid input'))
  return completePasswordReset(event, input)
})
