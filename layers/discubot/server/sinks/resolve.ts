// Where a config's tasks go: its Notion database when a token and a database are known (from the
// config or the NUXT_NOTION_* settings), else Discubot's own task list.
import { consola } from 'consola'
import { updateDiscubotConfig } from '../../collections/configs/server/database/queries'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import type { ConfigSecrets } from '../../shared/schemas'
import { useDb } from '../utils/db'
import type { Settings } from '../utils/settings'
import { localTaskSink } from './local'
import { notionTaskSink } from './notion/sink'
import type { TaskSink } from './types'

export function resolveTaskSink(config: DiscubotConfig, secrets: ConfigSecrets, settings: Settings): TaskSink {
  const token = secrets.notionToken || settings.notionToken
  const databaseId = config.notionDatabaseId || settings.notionDatabaseId
  if (!token || !databaseId) return localTaskSink(settings)
  return notionTaskSink({
    connection: { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs },
    databaseId,
    propertyMap: config.notionPropertyMap,
    onWarnings: warnings => recordMappingWarning(config, warnings),
  })
}

/** Adds the warning to what the config shows, unless it already says so or carries an error. */
async function recordMappingWarning(config: DiscubotConfig, warnings: string[]) {
  const message = warnings.join(' ')
  if (config.validationState === 'error' || config.validationMessage?.includes(message)) return
  consola.warn(`[notion] config ${config.id}: ${message}`)
  await updateDiscubotConfig(useDb(), config.teamId, config.id, {
    validationState: 'warning',
    validationMessage: [config.validationMessage, message].filter(Boolean).join(' '),
    validatedAt: new Date(),
  })
}
