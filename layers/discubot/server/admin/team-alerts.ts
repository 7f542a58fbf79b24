// A team's alert targets as the owner edits them on the Settings page, with the latest alerts and
// how each delivery went. The webhook's signing secret is made here when a webhook URL is set (or
// the owner asks for a new one) and answered that once; afterwards only "set" is ever shown.
import { createError } from 'h3'
import { assertPublicUrl, OutboundRefused } from '../utils/outbound'
import { outboundPolicyOf } from '../bootstrap/default-team'
import { newWebhookSecret } from '../feedback/alerts/webhook'
import { getTeamAlertSettings, readAlertWebhookSecret, saveTeamAlertSettings } from '../../collections/team-alerts/server/database/queries'
import { commitOutboxWrites, enqueueOutboxItem, getOutboxItemsByKeys, listTeamAlertItems } from '../../collections/outbox/server/database/queries'
import type { DiscubotOutboxItem } from '../../collections/outbox/server/database/schema'
import { ALERT_TARGETS, type AlertType } from '../../shared/domain'
import type { AlertPayload } from '../../shared/outbox'
import type { AlertView, TeamAlerts, TeamAlertsSaved, TestAlertQueued } from '../../shared/api'
import type { TeamAlertsInput } from '../../shared/alerts-input'

const LATEST_ALERTS = 30

function alertView(alert: DiscubotOutboxItem, deliveries: DiscubotOutboxItem[]): AlertView {
  const result = alert.result as { title?: unknown } | null
  return {
    id: alert.id,
    type: (alert.payload as AlertPayload).type as AlertType,
    title: typeof result?.title === 'string' ? result.title : null,
    status: alert.status,
    lastError: alert.lastError,
    createdAt: alert.createdAt,
    runAt: alert.runAt,
    deliveries: ALERT_TARGETS.flatMap((target) => {
      const row = deliveries.find(d => d.dedupeKey === `${alert.dedupeKey}>${target}`)
      return row ? [{ target, status: row.status, attempts: row.attempts, lastError: row.lastError, runAt: row.runAt, deliveredAt: row.deliveredAt }] : []
    }),
  }
}

export async function getTeamAlerts(teamId: string): Promise<TeamAlerts> {
  const [settings, alerts] = await Promise.all([getTeamAlertSettings(teamId), listTeamAlertItems(teamId, LATEST_ALERTS)])
  const deliveries = await getOutboxItemsByKeys(teamId, alerts.flatMap(alert => ALERT_TARGETS.map(target => `${alert.dedupeKey}>${target}`)))
  return {
    slackChannelId: settings?.slackChannelId ?? null,
    webhookUrl: settings?.webhookUrl ?? null,
    webhookSecretSet: Boolean(settings && readAlertWebhookSecret(settings)),
    alerts: alerts.map(alert => alertView(alert, deliveries)),
  }
}

/** A tenant's webhook may not point at this machine or its network (checked again when it is called). */
async function assertAllowedWebhook(teamId: string, url: string) {
  if ((await outboundPolicyOf(teamId)).privateNetwork) return
  try {
    await assertPublicUrl(url)
  }
  catch (error) {
    if (!(error instanceof OutboundRefused)) throw error
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: `webhookUrl: ${error.message}` })
  }
}

export async function saveTeamAlerts(teamId: string, input: TeamAlertsInput, userId: string): Promise<TeamAlertsSaved> {
  const webhookUrl = input.webhookUrl ?? null
  if (webhookUrl) await assertAllowedWebhook(teamId, webhookUrl)
  const current = await getTeamAlertSettings(teamId)
  // A new endpoint gets a new secret: the old one may be known to whoever ran the old endpoint.
  const needsSecret = webhookUrl !== null && (webhookUrl !== current?.webhookUrl || input.rotateWebhookSecret || !readAlertWebhookSecret(current))
  const webhookSecret = needsSecret ? newWebhookSecret() : undefined
  await saveTeamAlertSettings(teamId, {
    slackChannelId: input.slackChannelId ?? null,
    webhookUrl,
    webhookSecret: webhookUrl === null ? null : webhookSecret,
  }, userId)
  return { ...await getTeamAlerts(teamId), ...(webhookSecret ? { webhookSecret } : {}) }
}

/** An alert like any other, delivered by the outbox to whatever targets are set when it goes out. */
export async function sendTestAlert(teamId: string, requestedBy: string): Promise<TestAlertQueued> {
  const id = crypto.randomUUID()
  const payload: AlertPayload = { type: 'test', requestedBy }
  await commitOutboxWrites([enqueueOutboxItem({ teamId, kind: 'alert', dedupeKey: `test:${teamId}:${id}`, payload })])
  const [row] = await getOutboxItemsByKeys(teamId, [`test:${teamId}:${id}`])
  return { id: row!.id }
}
