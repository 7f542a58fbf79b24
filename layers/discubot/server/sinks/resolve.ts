// Where a config's tasks go: its Notion database when a token and a database are known (from the
// config or the NUXT_NOTION_* settings), else Discubot's own task list.
import type { ConfigSecrets } from '../../shared/schemas'
import type { SourceConfig } from '../../shared/source-config'
import type { Settings } from '../utils/settings'
import { localTaskSink } from './local'
import { notionTaskSink } from './notion/sink'
import type { TaskSink } from './types'

type SinkConfig = Pick<SourceConfig, 'notionDatabaseId' | 'notionPropertyMap'>
type SinkSettings = Pick<Settings, 'notionToken' | 'notionDatabaseId' | 'notionApiUrl' | 'httpTimeoutMs' | 'publicBaseUrl'>

export function resolveTaskSink(config: SinkConfig, secrets: ConfigSecrets, settings: SinkSettings): TaskSink {
  const token = secrets.notionToken || settings.notionToken
  const databaseId = config.notionDatabaseId || settings.notionDatabaseId
  if (!token || !databaseId) return localTaskSink(settings)
  return notionTaskSink({
    connection: { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs },
    databaseId,
    propertyMap: config.notionPropertyMap,
  })
}
