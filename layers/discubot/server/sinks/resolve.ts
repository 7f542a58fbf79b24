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

/** The instance's Notion target (NUXT_NOTION_TOKEN, NUXT_NOTION_DATABASE_ID) serves only configs the policy lets use it. */
export function resolveTaskSink(config: SinkConfig, secrets: ConfigSecrets, settings: SinkSettings, policy: OutboundPolicy = OPERATOR_POLICY): TaskSink {
  const token = secrets.notionToken || (policy.instanceCredentials ? settings.notionToken : '')
  const databaseId = config.notionDatabaseId || (policy.instanceCredentials ? settings.notionDatabaseId : '')
  if (!token || !databaseId) return localTaskSink(settings)
  return notionTaskSink({
    connection: { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs },
    databaseId,
    propertyMap: config.notionPropertyMap,
  })
}
