// "Check connection" on the Sources page: asks each service the config talks to who we are, with
// the config's own secrets, and says in one line per service what works and what to fix.
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import type { ConfigSecrets } from '../../shared/schemas'
import type { CheckFinding } from '../../shared/api'
import type { Settings } from '../utils/settings'
import { messageOf } from '../utils/errors'
import type { OutboundPolicy } from '../utils/outbound'
import type { SourceIdentity } from '../sources/types'
import { identify } from '../connections/identity'
import { callNotion, normalizeDatabaseId, notionClient } from '../sinks/notion/client'

export interface ConfigCheck {
  state: CheckFinding['state']
  message: string
  findings: CheckFinding[]
  /** Who the source credential is, when the source said so. */
  identity?: SourceIdentity
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

/** The source half: credentials present, and the source says who they are (the identity is kept). */
async function checkSource(config: DiscubotConfig, secrets: ConfigSecrets): Promise<{ findings: CheckFinding[], identity?: SourceIdentity }> {
  const slack = config.sourceType === 'slack'
  const findings: CheckFinding[] = []
  if (slack && !secrets.signingSecret) findings.push({ state: 'error', message: 'Slack: no signing secret, so webhooks cannot be verified.' })
  if (!slack && !secrets.passcode) findings.push({ state: 'error', message: 'Figma: no webhook passcode, so webhooks cannot be verified.' })
  const outcome = await identify(config)
  if (!outcome.ok && 'skipped' in outcome) {
    findings.push({ state: 'error', message: slack ? 'Slack: no bot token, so threads cannot be read or answered.' : 'Figma: no access token, so comments cannot be read or answered.' })
    return { findings }
  }
  if (!outcome.ok) return { findings: [...findings, { state: 'error', message: outcome.message }] }
  const { identity } = outcome
  findings.push(slack
    ? { state: 'ok', message: `Slack: connected to ${identity.workspaceName ?? identity.workspaceId} as ${identity.userName ?? identity.userId}.` }
    : { state: 'ok', message: `Figma: connected as ${identity.userName ?? identity.userId}.` })
  return { findings, identity }
}

async function checkNotion(config: DiscubotConfig, secrets: ConfigSecrets, settings: Settings, policy: OutboundPolicy): Promise<CheckFinding> {
  // The same rule as the task sink: the instance's Notion target serves the operator's team only.
  const token = secrets.notionToken || (policy.instanceCredentials ? settings.notionToken : '')
  const databaseId = config.notionDatabaseId || (policy.instanceCredentials ? settings.notionDatabaseId : '')
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

export async function checkConfigConnection(config: DiscubotConfig, secrets: ConfigSecrets, settings: Settings, policy: OutboundPolicy): Promise<ConfigCheck> {
  const [source, notion] = await Promise.all([
    checkSource(config, secrets),
    checkNotion(config, secrets, settings, policy),
  ])
  const findings = [...source.findings, notion]
  const state = findings.reduce<CheckFinding['state']>((worst, f) => RANK[f.state] > RANK[worst] ? f.state : worst, 'ok')
  return { state, message: findings.map(f => f.message).join(' '), findings, identity: source.identity }
}
