// POST /api/webhooks/figma: authenticate (the passcode in the body must be a config's), interpret,
// store durably, answer. A PING (sent when the webhook is created) is just acknowledged.
import type { H3Event } from 'h3'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { DeliveryRejection } from '../sources/rejection'
import { figmaPasscodeMatches } from '../sources/figma/passcode'
import { parseFigmaDelivery, readFigmaEnvelope } from '../sources/figma/delivery'
import { answerWebhook, readJsonDelivery } from './http'
import { interpretForConfigs, loadActiveConfigs, noMatchMessage, secretsOf, settleDelivery, type WebhookAnswer } from './dispatch'

/** Configs registered for this webhook id first, then those not tied to a webhook id. */
export function figmaCandidates(configs: DiscubotConfig[], webhookId: string): DiscubotConfig[] {
  return [
    ...configs.filter(config => config.figmaWebhookId === webhookId),
    ...configs.filter(config => !config.figmaWebhookId),
  ]
}

export function handleFigmaWebhook(event: H3Event): Promise<WebhookAnswer> {
  return answerWebhook('figma', async () => {
    const { json } = await readJsonDelivery(event, 'Figma')
    const body = readFigmaEnvelope(json)
    if (!body.passcode) throw new DeliveryRejection(401, 'Figma webhook passcode is missing')

    const candidates = figmaCandidates(await loadActiveConfigs('figma'), body.webhook_id)
    const matching = candidates.filter(config => figmaPasscodeMatches(body.passcode, secretsOf(config).passcode))
    if (matching.length === 0) throw new DeliveryRejection(401, noMatchMessage(`Figma passcode does not match any active Figma config for webhook ${body.webhook_id}`, candidates))

    const { config, parsed } = interpretForConfigs(matching, c => parseFigmaDelivery(json, c))
    return settleDelivery('figma', config, parsed)
  })
}
