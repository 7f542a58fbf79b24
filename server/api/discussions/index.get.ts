import { discussionListQuerySchema } from '#layers/discubot/shared/list-query'
import { listDiscubotDiscussions } from '#layers/discubot/collections/discussions/server/database/queries'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const query = await getValidatedQuery(event, discussionListQuerySchema.parse)
  return listDiscubotDiscussions(teamId, query)
})
