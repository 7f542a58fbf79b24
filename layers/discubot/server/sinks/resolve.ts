// Where a config's tasks go: its Notion database when a token and a database are known (from the
// config or the NUXT_NOTION_* settings), else Discubot's own task list.
import type { ConfigSecrets } from '../../shared/schemas'
import type { SourceConfig } from '../../shared/source-config'
import type { Settings } from '../utils/settings'
import { localTaskSink } from './local'
import { notionTaskSink } from './notion/sink'
import type { TaskSink } from './types'
import { OPERATOR_POLICY, type OutboundPolicy } from '../utils/outbound'

type SinkConfig = Pick<SourceConfig, 'notionDatabaseId' | 'notionPropertyMap'>
type SinkSettings = Pick<Settings, 'notionToken' | 'notionDatabaseId' | 'notionApiUrl' | 'httpTimeoutMs' | 'publicBaseUrl'>

/**
 * The Notion token and database a config uses: its own, else the instance's (NUXT_NOTION_TOKEN,
 * NUXT_NOTION_DATABASE_ID) for configs the policy lets use them. Empty strings: not set.
 */
export function notionSettingOf(config: Pick<SourceConfig, 'notionDatabaseId'>, secrets: ConfigSecrets, settings: Pick<Settings, 'notionToken' | 'notionDatabaseId'>, policy: OutboundPolicy = OPERATOR_POLICY) {
  return {
    token: secrets.notionToken || (policy.instanceCredentials ? settings.notionToken : ''),
    databaseId: config.notionDatabaseId || (policy.instanceCredentials ? settings.notionDatabaseId : ''),
  }
}

export function resolveTaskSink(config: SinkConfig, secrets: ConfigSecrets, settings: SinkSettings, policy: OutboundPolicy = OPERATOR_POLICY): TaskSink {
  const { token, databaseId } = notionSettingOf(config, secrets, settings, policy)
  if (!token || !databaseId) return localTaskSink(settings)
  return notionTaskSink({
    connection: { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs },
    databaseId,
    propertyMap: config.notionPropertyMap,
  })
}
