import { bulkRetrySchema } from '#layers/discubot/shared/admin-input'
import { retryDiscussions } from '#layers/discubot/server/pipeline/retry'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamMember(event)
  const { ids, ...options } = await readValidatedBody(event, bulkRetrySchema.parse)
  return retryDiscussions({ teamId, ids, userId: user.id, options })
})
