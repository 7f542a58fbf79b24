// The source half of a check: the credentials are there, and the source says who they are.
import type { CheckFinding } from '../../../shared/api'
import type { ConnectionCheck } from './types'

export const checkSource: ConnectionCheck = async ({ config, secrets, identity }) => {
  // Pasted conversations come through the admin: nothing to connect on the source side.
  if (config.sourceType === 'manual') return { findings: [] }
  const slack = config.sourceType === 'slack'
  const findings: CheckFinding[] = []
  if (slack && !secrets.signingSecret) findings.push({ state: 'error', message: 'Slack: no signing secret, so webhooks cannot be verified.' })
  if (!slack && !secrets.passcode) findings.push({ state: 'error', message: 'Figma: no webhook passcode, so webhooks cannot be verified.' })
  const outcome = await identity
  if (!outcome.ok && 'skipped' in outcome) {
    findings.push({ state: 'error', message: slack ? 'Slack: no bot token, so threads cannot be read or answered.' : 'Figma: no access token, so comments cannot be read or answered.' })
    return { findings }
  }
  if (!outcome.ok) return { findings: [...findings, { state: 'error', message: outcome.message }] }
  const who = outcome.identity
  findings.push(slack
    ? { state: 'ok', message: `Slack: connected to ${who.workspaceName ?? who.workspaceId} as ${who.userName ?? who.userId}.` }
    : { state: 'ok', message: `Figma: connected as ${who.userName ?? who.userId}.` })
  return { findings, identity: who }
}
