import { changePasswordSchema } from '#layers/discubot/shared/auth-input'

/** Any role may change their own password; every other session of theirs ends. */
export default defineEventHandler(async (event) => {
  const session = await requireTeamSession(event)
  const input = await readValidatedBody(event, inWords(changePasswordSchema, 'Invalid input'))
  return changeOwnPassword(event, session, input)
})
