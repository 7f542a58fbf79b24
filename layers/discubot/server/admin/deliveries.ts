// The Deliveries page: the team's webhook inbox. Rows no team can be named for (a workspace no
// config serves, a refused signature) belong to the instance, so only its own (default) team sees them.
import type { DeliveryListQuery, Page } from '../../shared/list-query'
import { listDiscubotDeliveries, type DeliveryListItem } from '../../collections/webhook-events/server/database/queries'
import { getDiscubotTeamById } from '../../collections/teams/server/database/queries'
import { DEFAULT_TEAM_SLUG } from '../bootstrap/default-team'

export async function listDeliveries(teamId: string, query: DeliveryListQuery): Promise<Page<DeliveryListItem>> {
  const team = await getDiscubotTeamById(teamId)
  return listDiscubotDeliveries(teamId, query, team?.slug === DEFAULT_TEAM_SLUG)
}
