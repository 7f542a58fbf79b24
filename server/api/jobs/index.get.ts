import { jobListQuerySchema } from '#layers/discubot/shared/list-query'
import { listJobsWithRetries } from '#layers/discubot/server/admin/job-list'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const query = await getValidatedQuery(event, jobListQuerySchema.parse)
  return listJobsWithRetries(teamId, query)
})
