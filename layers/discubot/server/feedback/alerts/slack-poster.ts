// Alerts reach a team's Slack channel through the team's own bot: its oldest active Slack source
// with a bot token (the one "Check connection" checks the alert channel with).
import { listDiscubotConfigs, readConfigSecretsState } from '../../../collections/configs/server/database/queries'
import type { DiscubotConfig } from '../../../collections/configs/server/database/schema'
import type { ConfigSecrets } from '../../../shared/schemas'

export interface SlackPoster {
  config: DiscubotConfig
  secrets: ConfigSecrets
}

export async function findSlackAlertPoster(teamId: string): Promise<SlackPoster | undefined> {
  for (const config of await listDiscubotConfigs(teamId)) {
    if (config.sourceType !== 'slack' || !config.active) continue
    const { secrets } = readConfigSecretsState(config)
    if (secrets.botToken) return { config, secrets }
  }
  return undefined
}
