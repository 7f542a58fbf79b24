import { inviteSchema } from '#layers/discubot/shared/team-input'
import type { InviteCreated } from '#layers/discubot/shared/api'

/** Answers the invite link once (`url`); only its hash is kept. */
export default defineEventHandler(async (event): Promise<InviteCreated> => {
  const session = await requireTeamOwner(event)
  const input = await readValidatedBody(event, inWords(inviteSchema, 'Invalid input'))
  const created = await inviteTeammate(session, input)
  setResponseStatus(event, 201)
  return created
})
