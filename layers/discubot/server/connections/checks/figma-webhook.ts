// The Figma webhook half of "Check connection": the webhook Discubot connected still exists and is
// ACTIVE, and the deliveries Figma made this week carried this config's passcode (Figma never shows
// a webhook's passcode again, but its delivery log does). That the token is valid, the source check says.
import type { CheckFinding } from '../../../shared/api'
import { getFigmaWebhook, listFigmaWebhookDeliveries } from '../../sources/figma/webhooks'
import { attempt, type ConnectionCheck } from './types'

export const checkFigmaWebhook: ConnectionCheck = async ({ config, secrets, settings }) => {
  if (config.sourceType !== 'figma' || !secrets.figmaToken) return { findings: [] }
  const webhookId = config.figmaWebhookId
  if (!webhookId) {
    return { findings: [{ state: 'warning', message: 'Figma: no webhook is connected from Discubot. Use "Connect webhook", unless you created one yourself with this source\'s passcode.' }] }
  }
  const ctx = { settings, secrets }
  return {
    findings: [await attempt(async (): Promise<CheckFinding> => {
      const webhook = await getFigmaWebhook(ctx, webhookId)
      if (!webhook) return { state: 'error', message: `Figma: webhook ${webhookId} no longer exists (deleted in Figma?): disconnect it and connect again.` }
      if (webhook.status !== 'ACTIVE') return { state: 'error', message: `Figma: webhook ${webhookId} is ${webhook.status}, so Figma sends nothing; resume it in Figma or connect again.` }
      const deliveries = await listFigmaWebhookDeliveries(ctx, webhookId, secrets.passcode)
      // The newest delivery that carried a passcode speaks for the webhook as it is now.
      if (deliveries.find(delivery => delivery.passcodeMatches !== null)?.passcodeMatches === false) {
        return { state: 'error', message: `Figma: webhook ${webhookId} sends a passcode this source does not have, so its deliveries are refused: disconnect it and connect again.` }
      }
      const where = config.figmaWebhookContext ? ` on ${config.figmaWebhookContext} ${config.figmaWebhookContextId}` : ''
      return { state: 'ok', message: `Figma: webhook ${webhookId}${where} is ACTIVE${deliveries.length ? `; ${deliveries.length} deliveries this week` : ''}.` }
    })],
  }
}
