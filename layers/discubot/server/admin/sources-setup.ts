// What the Sources page shows to help connect Slack and Figma: the URLs they call, whether
// "Add to Slack" is set up, and whether they can reach this server at all.
import { sourceEndpoints } from '../../shared/endpoints'
import type { SourcesSetup } from '../../shared/api'
import { reachabilityProblem } from '../connections/reachability'
import { slackInstallMissingSettings } from '../connections/slack-install'
import { useSettings } from '../utils/settings'

export function sourcesSetup(request: { host: string | undefined, production: boolean }): SourcesSetup {
  const settings = useSettings()
  const missing = slackInstallMissingSettings(settings)
  return {
    baseUrl: settings.publicBaseUrl,
    endpoints: sourceEndpoints(settings.publicBaseUrl),
    slackInstall: { available: missing.length === 0, missing },
    reachability: reachabilityProblem({ baseUrl: settings.publicBaseUrl, requestHost: request.host, production: request.production }),
  }
}
