import { idParamSchema } from '#layers/discubot/shared/admin-input'
import { getDiscussionDetail } from '#layers/discubot/server/admin/discussion-detail'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const { id } = await getValidatedRouterParams(event, idParamSchema.parse)
  return foundOr404(await getDiscussionDetail(teamId, id), 'Discussion')
})
