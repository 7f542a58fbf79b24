// POST /api/webhooks/slack: authenticate (v0 signature against the candidate configs' secrets),
// interpret, store durably, answer. Slack wants a 2xx within 3 s, so no work happens here.
import type { H3Event } from 'h3'
import type { DiscubotConfig } from '../../../collections/configs/server/database/schema'
import { recordUnknownWorkspace } from '../../ingest/accept-discussion'
import { answerWebhook, parseOrReject, readJsonDelivery, WebhookRejection, withDatabase } from '../webhook-http'
import { interpretForConfigs, loadActiveConfigs, logDatabaseFailure, noMatchMessage, secretsOf, settleDelivery, type WebhookAnswer } from '../webhook-dispatch'
import { readSlackSignedHeaders, slackSignatureMatches, type SlackSignatureFailure } from './signature'
import { claimedSlackTeamId, isSlackRedelivery, parseSlackDelivery, readSlackEnvelope } from './delivery'
import { slackEventCallbackSchema } from './envelope'

const SIGNATURE_MESSAGES: Record<SlackSignatureFailure, string> = {
  missing_headers: 'Missing X-Slack-Signature or X-Slack-Request-Timestamp header',
  bad_timestamp: 'X-Slack-Request-Timestamp is not a unix timestamp',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes away from now (replay protection)',
  bad_signature: 'X-Slack-Signature does not match',
}

/**
 * Configs to try, most specific first: those of the delivery's workspace, then those that have
 * not learned their workspace yet (auth.test failed at boot), then the rest, whose secret may
 * still verify the request (one Slack app installed in several workspaces shares its secret).
 */
export function orderSlackCandidates(configs: DiscubotConfig[], teamId: string | undefined): DiscubotConfig[] {
  const rank = (config: DiscubotConfig) => (teamId && config.slackWorkspaceId === teamId ? 0 : config.slackWorkspaceId ? 2 : 1)
  return [...configs].sort((a, b) => rank(a) - rank(b))
}

export function servesWorkspace(config: DiscubotConfig, teamId: string): boolean {
  return !config.slackWorkspaceId || config.slackWorkspaceId === teamId
}

export type SlackWebhookAnswer = WebhookAnswer | { challenge: string }

export function handleSlackWebhook(event: H3Event): Promise<SlackWebhookAnswer> {
  return answerWebhook(async () => {
    const { delivery, json } = await readJsonDelivery(event, 'Slack')
    const signed = readSlackSignedHeaders(delivery.headers, delivery.receivedAt.getTime())
    if (!signed.ok) throw new WebhookRejection(401, SIGNATURE_MESSAGES[signed.reason])

    const candidates = orderSlackCandidates(await loadActiveConfigs('slack'), claimedSlackTeamId(json))
    const verified = candidates.filter(config => slackSignatureMatches(secretsOf(config).signingSecret ?? '', signed.timestamp, signed.signature, delivery.rawBody))
    if (verified.length === 0) throw new WebhookRejection(401, noMatchMessage('Slack signature does not match any active Slack config', candidates))

    const { type } = readSlackEnvelope(json)
    const redelivery = isSlackRedelivery(delivery.headers)
    if (type !== 'event_callback') {
      // url_verification (answered with its challenge once verified), app_rate_limited, …
      const parsed = parseSlackDelivery(json, verified[0]!, { redelivery })
      return parsed.kind === 'challenge' ? { challenge: parsed.challenge } : settleDelivery('slack', verified[0]!, parsed)
    }

    const envelope = parseOrReject(slackEventCallbackSchema, json, 'Invalid Slack event_callback')
    const serving = verified.filter(config => servesWorkspace(config, envelope.team_id))
    if (serving.length === 0) {
      await withDatabase(
        () => recordUnknownWorkspace('slack', `${envelope.team_id}:${envelope.event_id}`, `Slack workspace ${envelope.team_id} has no active config (event ${envelope.event_id}, ${envelope.event.type})`),
        logDatabaseFailure('slack'),
      )
      return { ok: true, status: 'unknown_workspace' }
    }
    const { config, parsed } = interpretForConfigs(serving, c => parseSlackDelivery(json, c, { redelivery }))
    return parsed.kind === 'challenge' ? { challenge: parsed.challenge } : settleDelivery('slack', config, parsed)
  })
}
