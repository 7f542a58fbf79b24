// What the Sources page needs to connect Slack and Figma: endpoints, "Add to Slack", reachability.
import { sourcesSetup } from '#layers/discubot/server/admin/sources-setup'
import type { SourcesSetup } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<SourcesSetup> => {
  await requireTeamSession(event)
  return sourcesSetup({ host: getRequestHost(event, { xForwardedHost: true }), production: !import.meta.dev })
})
