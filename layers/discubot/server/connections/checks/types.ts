// One check per concern (the source, the task target, …): each says in sentences a person can act
// on what works and what to fix; `check.ts` runs them all and keeps the worst state.
import type { DiscubotConfig } from '../../../collections/configs/server/database/schema'
import type { ConfigSecrets } from '../../../shared/schemas'
import type { CheckFinding } from '../../../shared/api'
import type { Settings } from '../../utils/settings'
import type { OutboundPolicy } from '../../utils/outbound'
import type { SourceIdentity } from '../../sources/types'
import { messageOf } from '../../utils/errors'
import type { IdentityOutcome } from '../identity'

export interface CheckInput {
  config: DiscubotConfig
  secrets: ConfigSecrets
  settings: Settings
  /** What the config's team may use of the instance (its Notion target, its model keys). */
  policy: OutboundPolicy
  /** Who the source credential is, asked once for every check that needs it. */
  identity: Promise<IdentityOutcome>
}

export interface CheckResult {
  findings: CheckFinding[]
  /** Who the source credential is, when the source said so (kept on the config). */
  identity?: SourceIdentity
}

export type ConnectionCheck = (input: CheckInput) => Promise<CheckResult>

/** Runs one probe; its failure (already naming the service and the cause) becomes an error finding. */
export async function attempt(run: () => Promise<CheckFinding>): Promise<CheckFinding> {
  try {
    return await run()
  }
  catch (error) {
    return { state: 'error', message: messageOf(error) }
  }
}
