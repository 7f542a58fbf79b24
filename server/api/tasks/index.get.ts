import { taskListQuerySchema } from '#layers/discubot/shared/list-query'
import { listDiscubotTasks } from '#layers/discubot/collections/tasks/server/database/queries'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const query = await getValidatedQuery(event, taskListQuerySchema.parse)
  return listDiscubotTasks(teamId, query)
})
