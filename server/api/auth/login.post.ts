import { loginSchema } from '#layers/discubot/shared/auth-input'

export default defineEventHandler(async (event) => {
  const credentials = await readValidatedBody(event, loginSchema.parse)
  return signIn(event, credentials)
})
