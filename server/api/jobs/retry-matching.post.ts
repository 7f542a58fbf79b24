import { retryMatchingSchema } from '#layers/discubot/shared/admin-input'
import { previewRetryMatching, retryMatching } from '#layers/discubot/server/admin/retry-matching'

export default defineEventHandler(async (event) => {
  const { teamId, user } = await requireTeamMember(event)
  const { dryRun, ...filter } = await readValidatedBody(event, retryMatchingSchema.parse)
  if (dryRun) return { dryRun, ...await previewRetryMatching(teamId, filter) }
  return { dryRun, ...await retryMatching(teamId, filter, user.id) }
})
