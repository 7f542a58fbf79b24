import { setupSchema } from '#layers/discubot/shared/auth-input'

export default defineEventHandler(async (event) => {
  const input = await readValidatedBody(event, setupSchema.parse)
  return completeSetup(event, input)
})
