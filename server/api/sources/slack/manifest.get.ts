// The Slack app manifest for this instance (its URLs from NUXT_PUBLIC_BASE_URL).
import { slackAppManifest, type SlackAppManifest } from '#layers/discubot/shared/slack-app'
import { useSettings } from '#layers/discubot/server/utils/settings'

export default defineEventHandler(async (event): Promise<SlackAppManifest> => {
  await requireTeamOwner(event)
  return slackAppManifest(useSettings().publicBaseUrl)
})
