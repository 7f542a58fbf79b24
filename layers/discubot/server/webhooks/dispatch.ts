// What both webhook routes do once a delivery is read: find the configs that may have sent it,
// let each authenticated one interpret it (pure source code), and hand a discussion to the
// durable inbox (event + job in one batch).
import { consola } from 'consola'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { listActiveDiscubotConfigsBySource, readConfigSecretsState, SECRETS_NEED_REENTRY_MESSAGE } from '../../collections/configs/server/database/queries'
import type { ConfigSecrets } from '../../shared/schemas'
import type { WebhookSourceType } from '../../shared/domain'
import { messageOf } from '../utils/errors'
import type { ParsedDelivery } from '../sources/types'
import { acceptDiscussion } from './hand-off'
import { withDatabase } from './http'
import { recordIgnoredDelivery } from './inbox'

export type WebhookAnswer
  = | { ok: true, status: 'accepted' | 'duplicate', jobId: string | null }
    | { ok: true, status: 'ignored', reason: string }
    | { ok: true, status: 'pong' | 'unknown_workspace' }

/** Every delivery but a challenge (which the Slack route answers itself). */
export type SettledDelivery = Exclude<ParsedDelivery, { kind: 'challenge' }>

const log = consola.withTag('webhooks')

export function logDatabaseFailure(source: WebhookSourceType) {
  return (error: unknown) => log.error(`[${source}] delivery not stored, answered 503: ${messageOf(error)}`)
}

export function loadActiveConfigs(source: WebhookSourceType): Promise<DiscubotConfig[]> {
  return withDatabase(() => listActiveDiscubotConfigsBySource(source), logDatabaseFailure(source))
}

/** Configs whose unreadable secrets were reported (by id and version): once per process, not per delivery. */
const reportedUnreadable = new Set<string>()

/** A config whose secrets cannot be read (the secrets key changed) verifies nothing until they are entered again. */
export function secretsOf(config: DiscubotConfig): ConfigSecrets {
  const { secrets, needReentry } = readConfigSecretsState(config)
  const reportKey = `${config.id}@${config.updatedAt.getTime()}`
  if (needReentry && !reportedUnreadable.has(reportKey)) {
    reportedUnreadable.add(reportKey)
    log.warn(`[${config.sourceType}] config ${config.id} (${config.name}) refuses every delivery until its secrets are entered again. ${SECRETS_NEED_REENTRY_MESSAGE}`)
  }
  return secrets
}

/** The 401 message when no config verified a delivery: says so when some configs had no usable secret to try. */
export function noMatchMessage(message: string, candidates: DiscubotConfig[]): string {
  const unusable = candidates.filter(config => readConfigSecretsState(config).needReentry).length
  return unusable ? `${message}; ${unusable} active config(s) have no usable secret (${SECRETS_NEED_REENTRY_MESSAGE.toLowerCase()})` : message
}

/**
 * Interprets the delivery for each authenticated config in order (most specific first). The
 * first that sees a discussion takes it; otherwise the first config's answer stands.
 */
export function interpretForConfigs<C, P extends ParsedDelivery>(configs: C[], parse: (config: C) => P): { config: C, parsed: P } {
  let first: { config: C, parsed: P } | undefined
  for (const config of configs) {
    const parsed = parse(config)
    if (parsed.kind === 'discussion') return { config, parsed }
    first ??= { config, parsed }
  }
  if (!first) throw new Error('interpretForConfigs needs at least one config')
  return first
}

/** Stores a discussion (or acknowledges a ping / an ignored event); 503 when the database fails. */
export async function settleDelivery(source: WebhookSourceType, config: Pick<DiscubotConfig, 'id' | 'teamId'>, parsed: SettledDelivery): Promise<WebhookAnswer> {
  if (parsed.kind === 'ping') return { ok: true, status: 'pong' }
  if (parsed.kind === 'ignore') {
    log.debug(`[${source}] ignored: ${parsed.reason}`)
    await recordIgnoredDelivery(source, config.teamId, parsed.reason, parsed.eventId)
    return { ok: true, status: 'ignored', reason: parsed.reason }
  }
  const result = await withDatabase(() => acceptDiscussion({
    source,
    eventId: parsed.eventId,
    teamId: config.teamId,
    sourceConfigId: config.id,
    input: parsed.input,
  }), logDatabaseFailure(source))
  return { ok: true, status: result.status, jobId: result.jobId }
}
