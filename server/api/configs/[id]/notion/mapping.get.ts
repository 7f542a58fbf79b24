import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { notionDatabaseSchema } from '#layers/discubot/shared/config-input'
import { getNotionMapping } from '#layers/discubot/server/admin/notion-target'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const { database } = await getValidatedQuery(event, inWords(notionDatabaseSchema, 'Database'))
  return foundOr404(await getNotionMapping(teamId, id, database ?? undefined), 'Source config')
})
