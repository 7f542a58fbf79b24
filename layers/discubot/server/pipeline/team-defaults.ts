// A pasted conversation may run without a config. It then has no settings of its own, so the
// resolvers give it what the team's policy allows of the instance: the NUXT_* model and Notion
// target for the operator's team, the offline analyzer and the local task list for a tenant.
import type { SourceConfig } from '../../shared/source-config'

export const TEAM_DEFAULTS_NAME = 'Team defaults'

/** Not a row: nothing to record findings on, nothing to deactivate. */
export function teamDefaultsConfig(teamId: string): SourceConfig & { active: true } {
  return {
    id: '',
    teamId,
    sourceType: 'manual',
    name: TEAM_DEFAULTS_NAME,
    active: true,
    slackWorkspaceId: null,
    slackChannelIds: null,
    botUserId: null,
    figmaWebhookId: null,
    figmaFileKeys: null,
    triggerKeyword: '',
    notionDatabaseId: null,
    notionDataSourceId: null,
    notionPropertyMap: null,
    aiProvider: null,
    aiModel: null,
    aiBaseUrl: null,
  }
}
