import { tokenQuerySchema } from '#layers/discubot/shared/auth-input'

/** Lets the setup page tell a stale link apart before the admin types anything. */
export default defineEventHandler(async (event) => {
  const { token } = await getValidatedQuery(event, tokenQuerySchema.parse)
  return { valid: await isSetupTokenValid(token) }
})
