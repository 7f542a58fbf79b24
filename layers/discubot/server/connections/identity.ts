// Every config knows who its credential is on the source: the Slack workspace and bot user
// (`auth.test`), the Figma account (`GET /v1/me`). Learned whenever a credential is set, changed or
// checked; a delivery is routed by the workspace it names, never to "any" config.
import { consola } from 'consola'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { readConfigSecrets, updateDiscubotConfig } from '../../collections/configs/server/database/queries'
import { useSettings } from '../utils/settings'
import { messageOf } from '../utils/errors'
import { getSourceAdapter } from '../sources/registry'
import type { SourceIdentity } from '../sources/types'

const log = consola.withTag('connections')

export type IdentityOutcome
  = | { ok: true, identity: SourceIdentity }
    | { ok: false, message: string }
    | { ok: false, skipped: true, message: string }

/** Asks the source who the config's credential is; no credential (or an unreadable one) → skipped. */
export async function identify(config: DiscubotConfig): Promise<IdentityOutcome> {
  let secrets
  try {
    secrets = readConfigSecrets(config)
  }
  catch (error) {
    return { ok: false, skipped: true, message: messageOf(error) }
  }
  if (config.sourceType === 'manual') return { ok: false, skipped: true, message: 'pasted conversations have no source account' }
  const token = config.sourceType === 'slack' ? secrets.botToken : secrets.figmaToken
  if (!token) return { ok: false, skipped: true, message: `no ${config.sourceType === 'slack' ? 'bot token' : 'access token'}` }
  try {
    const identity = await getSourceAdapter(config.sourceType).identify({ config, secrets, settings: useSettings() })
    return { ok: true, identity }
  }
  catch (error) {
    return { ok: false, message: messageOf(error) }
  }
}

/** The config columns an identity fills. */
export function identityColumns(config: Pick<DiscubotConfig, 'sourceType'>, identity: SourceIdentity) {
  return config.sourceType === 'slack'
    ? { slackWorkspaceId: identity.workspaceId ?? null, slackWorkspaceName: identity.workspaceName ?? null, botUserId: identity.userId }
    : { botUserId: identity.userId }
}

/**
 * Learns the config's identity and records it. A credential the source refuses is recorded as the
 * config's validation error (the identity is left as it was). Returns the row as it now is.
 */
export async function learnConfigIdentity(config: DiscubotConfig, userId?: string): Promise<DiscubotConfig> {
  const outcome = await identify(config)
  if (!outcome.ok && 'skipped' in outcome) return config
  const patch = outcome.ok
    ? identityColumns(config, outcome.identity)
    : { validationState: 'error' as const, validationMessage: outcome.message, validatedAt: new Date() }
  if (!outcome.ok) log.warn(`config ${config.id} (${config.name}): cannot learn its identity: ${outcome.message}`)
  return await updateDiscubotConfig(config.teamId, config.id, patch, userId) ?? config
}

const learning = new Map<string, Promise<unknown>>()

/** Learns in the background, once at a time per config (a webhook must not wait for it). */
export function learnConfigIdentitySoon(config: DiscubotConfig): void {
  if (learning.has(config.id)) return
  const run = learnConfigIdentity(config)
    .catch(error => log.warn(`config ${config.id}: identity refresh failed: ${messageOf(error)}`))
    .finally(() => learning.delete(config.id))
  learning.set(config.id, run)
}
