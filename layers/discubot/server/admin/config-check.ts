// "Check connection" on the Sources page: asks each service the config talks to who we are, with
// the config's own secrets, and says in one line per service what works and what to fix.
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import type { ConfigSecrets } from '../../shared/schemas'
import type { CheckFinding } from '../../shared/api'
import type { Settings } from '../utils/settings'
import { messageOf } from '../utils/errors'
import { callSlack, createSlackClient } from '../sources/slack/client'
import { getFigmaMe } from '../sources/figma/api'
import { callNotion, normalizeDatabaseId, notionClient } from '../sinks/notion/client'

export interface ConfigCheck {
  state: CheckFinding['state']
  message: string
  findings: CheckFinding[]
}

const RANK = { ok: 0, warning: 1, error: 2 } as const

async function attempt(run: () => Promise<CheckFinding>): Promise<CheckFinding> {
  try {
    return await run()
  }
  catch (error) {
    // The clients' errors already name the service and the cause.
    return { state: 'error', message: messageOf(error) }
  }
}

async function checkSlack(config: DiscubotConfig, secrets: ConfigSecrets, settings: Settings): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = []
  if (!secrets.signingSecret) findings.push({ state: 'error', message: 'Slack: no signing secret, so webhooks cannot be verified.' })
  if (!secrets.botToken) return [...findings, { state: 'error', message: 'Slack: no bot token, so threads cannot be read or answered.' }]
  findings.push(await attempt(async () => {
    const client = createSlackClient(secrets.botToken, settings)
    const auth = await callSlack('auth.test', () => client.auth.test())
    if (config.slackWorkspaceId && auth.team_id && auth.team_id !== config.slackWorkspaceId) {
      return { state: 'warning', message: `Slack: the bot token belongs to workspace ${auth.team_id}, but this source expects ${config.slackWorkspaceId}.` }
    }
    return { state: 'ok', message: `Slack: connected to ${auth.team ?? auth.team_id ?? 'the workspace'} as ${auth.user ?? 'the bot'}.` }
  }))
  return findings
}

async function checkFigma(secrets: ConfigSecrets, settings: Settings): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = []
  if (!secrets.passcode) findings.push({ state: 'error', message: 'Figma: no webhook passcode, so webhooks cannot be verified.' })
  if (!secrets.figmaToken) return [...findings, { state: 'error', message: 'Figma: no access token, so comments cannot be read or answered.' }]
  findings.push(await attempt(async () => {
    const me = await getFigmaMe({ settings, secrets })
    return { state: 'ok', message: `Figma: connected as ${me.handle ?? me.id}.` }
  }))
  return findings
}

async function checkNotion(config: DiscubotConfig, secrets: ConfigSecrets, settings: Settings): Promise<CheckFinding> {
  const token = secrets.notionToken || settings.notionToken
  const databaseId = config.notionDatabaseId || settings.notionDatabaseId
  if (!token && !databaseId) return { state: 'ok', message: 'Tasks go to Discubot\'s own task list (no Notion target set).' }
  if (!token) return { state: 'warning', message: 'Notion: a database is set but no token, so tasks go to the local task list.' }
  if (!databaseId) return { state: 'warning', message: 'Notion: a token is set but no database, so tasks go to the local task list.' }
  return attempt(async () => {
    const connection = { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs }
    const client = notionClient(connection)
    const database = await callNotion('database', connection, () => client.databases.retrieve({ database_id: normalizeDatabaseId(databaseId) }))
    const title = 'title' in database && Array.isArray(database.title) ? database.title.map(part => part.plain_text).join('') : ''
    return { state: 'ok', message: `Notion: database ${title ? `"${title}"` : databaseId} is reachable.` }
  })
}

export async function checkConfigConnection(config: DiscubotConfig, secrets: ConfigSecrets, settings: Settings): Promise<ConfigCheck> {
  const [source, notion] = await Promise.all([
    config.sourceType === 'slack' ? checkSlack(config, secrets, settings) : checkFigma(secrets, settings),
    checkNotion(config, secrets, settings),
  ])
  const findings = [...source, notion]
  const state = findings.reduce<CheckFinding['state']>((worst, f) => RANK[f.state] > RANK[worst] ? f.state : worst, 'ok')
  return { state, message: findings.map(f => f.message).join(' '), findings }
}
