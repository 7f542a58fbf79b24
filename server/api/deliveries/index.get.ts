import { deliveryListQuerySchema } from '#layers/discubot/shared/list-query'
import { listDeliveries } from '#layers/discubot/server/admin/deliveries'

export default defineEventHandler(async (event) => {
  const { teamId } = await requireTeamSession(event)
  const query = await getValidatedQuery(event, deliveryListQuerySchema.parse)
  return listDeliveries(teamId, query)
})
