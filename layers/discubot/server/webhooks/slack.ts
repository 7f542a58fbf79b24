// POST /api/webhooks/slack: authenticate (v0 signature against the candidate configs' secrets),
// interpret, store durably, answer. Slack wants a 2xx within 3 s, so no work happens here.
import { createError, type H3Event } from 'h3'
import { consola } from 'consola'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { deactivateDiscubotConfigs } from '../../collections/configs/server/database/queries'
import { recordUnknownWorkspaceDelivery } from '../../collections/webhook-events/server/database/queries'
import { DeliveryRejection, parseOrReject } from '../sources/rejection'
import { readSlackSignedHeaders, slackSignatureMatches, type SlackSignatureFailure } from '../sources/slack/signature'
import { isSlackRedelivery, parseSlackDelivery, readSlackEnvelope, slackDeactivationReason } from '../sources/slack/delivery'
import { slackEventCallbackSchema } from '../sources/slack/envelope'
import { learnConfigIdentitySoon } from '../connections/identity'
import { answerWebhook, readJsonDelivery, withDatabase } from './http'
import { interpretForConfigs, loadActiveConfigs, logDatabaseFailure, noMatchMessage, secretsOf, settleDelivery, type WebhookAnswer } from './dispatch'

const SIGNATURE_MESSAGES: Record<SlackSignatureFailure, string> = {
  missing_headers: 'Missing X-Slack-Signature or X-Slack-Request-Timestamp header',
  bad_timestamp: 'X-Slack-Request-Timestamp is not a unix timestamp',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes away from now (replay protection)',
  bad_signature: 'X-Slack-Signature does not match',
}

/**
 * A config serves only the workspace it learned (`auth.test`), never "any": with one Slack app
 * installed in several workspaces, several configs verify the same signature.
 */
export function servesWorkspace(config: Pick<DiscubotConfig, 'slackWorkspaceId'>, teamId: string): boolean {
  return config.slackWorkspaceId === teamId
}

export type SlackWebhookAnswer = WebhookAnswer | { challenge: string } | { ok: true, status: 'deactivated', reason: string }

const log = consola.withTag('webhooks')

/** The workspace uninstalled the app or revoked its token: its configs stop, saying why, until someone reconnects them. */
async function deactivateForWorkspace(configs: DiscubotConfig[], reason: string): Promise<SlackWebhookAnswer> {
  const switchedOff = await withDatabase(() => deactivateDiscubotConfigs(configs, reason), logDatabaseFailure('slack'))
  if (switchedOff > 0) log.warn(`[slack] ${switchedOff} config(s) deactivated: ${reason}`)
  return { ok: true, status: 'deactivated', reason }
}

export function handleSlackWebhook(event: H3Event): Promise<SlackWebhookAnswer> {
  return answerWebhook('slack', async () => {
    const { delivery, json } = await readJsonDelivery(event, 'Slack')
    const signed = readSlackSignedHeaders(delivery.headers, delivery.receivedAt.getTime())
    if (!signed.ok) throw new DeliveryRejection(401, SIGNATURE_MESSAGES[signed.reason])

    const candidates = await loadActiveConfigs('slack')
    const verified = candidates.filter(config => slackSignatureMatches(secretsOf(config).signingSecret ?? '', signed.timestamp, signed.signature, delivery.rawBody))
    if (verified.length === 0) throw new DeliveryRejection(401, noMatchMessage('Slack signature does not match any active Slack config', candidates))

    const { type } = readSlackEnvelope(json)
    const redelivery = isSlackRedelivery(delivery.headers)
    if (type !== 'event_callback') {
      // url_verification (answered with its challenge once verified), app_rate_limited, …
      const parsed = parseSlackDelivery(json, verified[0]!, { redelivery })
      return parsed.kind === 'challenge' ? { challenge: parsed.challenge } : settleDelivery('slack', verified[0]!, parsed)
    }

    const envelope = parseOrReject(slackEventCallbackSchema, json, 'Invalid Slack event_callback')
    const serving = verified.filter(config => servesWorkspace(config, envelope.team_id))
    const learning = verified.filter(config => !config.slackWorkspaceId && secretsOf(config).botToken)
    if (serving.length === 0 && learning.length > 0) {
      // A config that verifies it has not learned its workspace yet (Slack was down when its token
      // was set): learn it now and let Slack retry, rather than guess or drop the delivery.
      for (const config of learning) learnConfigIdentitySoon(config)
      throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: `Slack config "${learning[0]!.name}" has not learned its workspace yet; retry shortly` })
    }
    if (serving.length === 0) {
      await withDatabase(
        () => recordUnknownWorkspaceDelivery({ source: 'slack', eventId: `${envelope.team_id}:${envelope.event_id}` }, `Slack workspace ${envelope.team_id} has no active config (event ${envelope.event_id}, ${envelope.event.type})`),
        logDatabaseFailure('slack'),
      )
      return { ok: true, status: 'unknown_workspace' }
    }
    const ending = serving.flatMap((config) => {
      const reason = slackDeactivationReason(envelope, config)
      return reason ? [{ config, reason }] : []
    })
    if (ending.length > 0) return deactivateForWorkspace(ending.map(end => end.config), ending[0]!.reason)
    const { config, parsed } = interpretForConfigs(serving, c => parseSlackDelivery(json, c, { redelivery }))
    return parsed.kind === 'challenge' ? { challenge: parsed.challenge } : settleDelivery('slack', config, parsed)
  })
}
