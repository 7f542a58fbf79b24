// The source half of a check: the credentials are there, and the source says who they are.
import type { CheckFinding } from '../../../shared/api'
import { identify } from '../identity'
import type { ConnectionCheck } from './types'

export const checkSource: ConnectionCheck = async ({ config, secrets }) => {
  // Pasted conversations come through the admin: nothing to connect on the source side.
  if (config.sourceType === 'manual') return { findings: [] }
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
