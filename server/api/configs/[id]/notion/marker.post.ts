import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { notionDatabaseSchema } from '#layers/discubot/shared/config-input'
import { addNotionMarker } from '#layers/discubot/server/admin/notion-target'

/** "Add the Discubot ID column" to the database the body names, or the config's. */
export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const { database } = await readValidatedBody(event, inWords(notionDatabaseSchema.default({}), 'Database'))
  return foundOr404(await addNotionMarker(teamId, id, database ?? undefined), 'Source config')
})
