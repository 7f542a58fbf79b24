// "Check connection" on the Sources page: every check (checks/*.ts) asks the service it covers,
// with the config's own secrets; the config's state is the worst finding, its message all of them.
import type { CheckFinding } from '../../shared/api'
import type { SourceIdentity } from '../sources/types'
import { identify } from './identity'
import { checkFigmaWebhook } from './checks/figma-webhook'
import { checkNotion } from './checks/notion'
import { checkSlackScopes } from './checks/slack-scopes'
import { checkSource } from './checks/source'
import { checkAlertChannel } from './checks/alert-channel'
import type { CheckInput, ConnectionCheck } from './checks/types'

export interface ConfigCheck {
  state: CheckFinding['state']
  message: string
  findings: CheckFinding[]
  /** Who the source credential is, when the source said so. */
  identity?: SourceIdentity
}

/** In the order their sentences are read. */
const CHECKS: ConnectionCheck[] = [checkSource, checkSlackScopes, checkFigmaWebhook, checkNotion, checkAlertChannel]

const RANK = { ok: 0, warning: 1, error: 2 } as const

export async function checkConfigConnection(base: Omit<CheckInput, 'identity'>): Promise<ConfigCheck> {
  const input = { ...base, identity: identify(base.config) }
  const results = await Promise.all(CHECKS.map(check => check(input)))
  const findings = results.flatMap(result => result.findings)
  const state = findings.reduce<CheckFinding['state']>((worst, f) => RANK[f.state] > RANK[worst] ? f.state : worst, 'ok')
  return { state, message: findings.map(f => f.message).join(' '), findings, identity: results.find(result => result.identity)?.identity }
}
