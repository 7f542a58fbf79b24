import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { notionSearchQuerySchema } from '#layers/discubot/shared/config-input'
import { listNotionDatabases } from '#layers/discubot/server/admin/notion-target'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamOwner(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  const { q } = await getValidatedQuery(event, inWords(notionSearchQuerySchema, 'Search'))
  return foundOr404(await listNotionDatabases(teamId, id, q), 'Source config')
})
