import { bulkDiscardSchema } from '#layers/discubot/shared/admin-input'
import { discardJobs } from '#layers/discubot/server/pipeline/discard'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamMember(event)
  const { ids } = await readValidatedBody(event, bulkDiscardSchema.parse)
  return discardJobs({ teamId, ids, userId: user.id })
})
