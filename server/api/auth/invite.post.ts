import { acceptInviteSchema } from '#layers/discubot/shared/auth-input'

export default defineEventHandler(async (event) => {
  const input = await readValidatedBody(event, validInput(acceptInviteSchema))
  return acceptInvite(event, input)
})
