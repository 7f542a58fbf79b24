import { peopleListQuerySchema, type Page } from '#layers/discubot/shared/list-query'
import { listDiscubotSourceUsers, type SourceUserListItem } from '#layers/discubot/collections/people/server/database/queries'

export default defineEventHandler(async (event): Promise<Page<SourceUserListItem>> => {
  const { teamId } = await requireTeamSession(event)
  const query = await getValidatedQuery(event, inWords(peopleListQuerySchema, 'Invalid input'))
  return listDiscubotSourceUsers(teamId, query)
})
