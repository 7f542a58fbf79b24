// The task-target half of a check: where the config's tasks go, and whether Notion lets us in.
import { callNotion, normalizeDatabaseId, notionClient } from '../../sinks/notion/client'
import { attempt, type ConnectionCheck } from './types'

export const checkNotion: ConnectionCheck = async ({ config, secrets, settings, policy }) => {
  // The same rule as the task sink: the instance's Notion target serves the operator's team only.
  const token = secrets.notionToken || (policy.instanceCredentials ? settings.notionToken : '')
  const databaseId = config.notionDatabaseId || (policy.instanceCredentials ? settings.notionDatabaseId : '')
  if (!token && !databaseId) return { findings: [{ state: 'ok', message: 'Tasks go to Discubot\'s own task list (no Notion target set).' }] }
  if (!token) return { findings: [{ state: 'warning', message: 'Notion: a database is set but no token, so tasks go to the local task list.' }] }
  if (!databaseId) return { findings: [{ state: 'warning', message: 'Notion: a token is set but no database, so tasks go to the local task list.' }] }
  return {
    findings: [await attempt(async () => {
      const connection = { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs }
      const client = notionClient(connection)
      const database = await callNotion('database', connection, () => client.databases.retrieve({ database_id: normalizeDatabaseId(databaseId) }))
      const title = 'title' in database && Array.isArray(database.title) ? database.title.map(part => part.plain_text).join('') : ''
      return { state: 'ok', message: `Notion: database ${title ? `"${title}"` : databaseId} is reachable.` }
    })],
  }
}
