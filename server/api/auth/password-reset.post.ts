import { passwordResetSchema } from '#layers/discubot/shared/auth-input'

export default defineEventHandler(async (event) => {
  const input = await readValidatedBody(event, validInput(passwordResetSchema))
  return completePasswordReset(event, input)
})
