import { jobListQuerySchema } from '#layers/discubot/shared/list-query'
import { listDiscubotJobs } from '#layers/discubot/collections/jobs/server/database/queries'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const query = await getValidatedQuery(event, jobListQuerySchema.parse)
  return listDiscubotJobs(teamId, query)
})
