import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { personPatchSchema } from '#layers/discubot/shared/team-input'

/** The person's tasks go to this Notion person from now on (`null`: to nobody, even if an e-mail matches). */
export default defineEventHandler(async (event) => {
  const session = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, inWords(idParamSchema, 'Invalid input'))
  const { notionUserId } = await readValidatedBody(event, inWords(personPatchSchema, 'Invalid input'))
  return setPersonNotion(session, id, notionUserId)
})
