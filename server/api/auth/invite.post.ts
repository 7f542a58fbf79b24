import { acceptInviteSchema } from '#layers/discubot/shared/auth-input'

export default defineEventHandler(async (event) => {
  const input = await readValidatedBody(event, inWords(acceptInviteSchema, 'Invalid input'))
  return acceptInvite(event, input)
})
