// POST /api/webhooks/figma: authenticate (the passcode in the body must be a config's), interpret,
// store durably, answer. A PING (sent when the webhook is created) is just acknowledged.
import type { H3Event } from 'h3'
import type { DiscubotConfig } from '../../../collections/configs/server/database/schema'
import { answerWebhook, readJsonDelivery, WebhookRejection } from '../webhook-http'
import { interpretForConfigs, loadActiveConfigs, noMatchMessage, secretsOf, settleDelivery, type WebhookAnswer } from '../webhook-dispatch'
import { figmaPasscodeMatches } from './passcode'
import { parseFigmaDelivery, readFigmaEnvelope } from './delivery'

/** Configs registered for this webhook id first, then those not tied to a webhook id. */
export function figmaCandidates(configs: DiscubotConfig[], webhookId: string): DiscubotConfig[] {
  return [
    ...configs.filter(config => config.figmaWebhookId === webhookId),
    ...configs.filter(config => !config.figmaWebhookId),
  ]
}

export function handleFigmaWebhook(event: H3Event): Promise<WebhookAnswer> {
  return answerWebhook(async () => {
    const { json } = await readJsonDelivery(event, 'Figma')
    const body = readFigmaEnvelope(json)
    if (!body.passcode) throw new WebhookRejection(401, 'Figma webhook passcode is missing')

    const candidates = figmaCandidates(await loadActiveConfigs('figma'), body.webhook_id)
    const matching = candidates.filter(config => figmaPasscodeMatches(body.passcode, secretsOf(config).passcode))
    if (matching.length === 0) throw new WebhookRejection(401, noMatchMessage(`Figma passcode does not match any active Figma config for webhook ${body.webhook_id}`, candidates))

    const { config, parsed } = interpretForConfigs(matching, c => parseFigmaDelivery(json, c))
    return settleDelivery('figma', config, parsed)
  })
}
