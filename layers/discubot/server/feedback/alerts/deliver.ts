// An alert row goes out in two steps. When it is due, its message is written once (counting a
// failed-jobs window's failures then) and one delivery row per target the team has set is created
// in the same batch; each delivery then succeeds, retries or fails on its own, so a webhook that is
// down never makes the Slack channel hear the alert twice.
import { alertDeliveryPayloadSchema, alertPayloadSchema, type AlertDeliveryPayload, type AlertPayload } from '../../../shared/outbox'
import type { AlertTarget } from '../../../shared/domain'
import { enqueueOutboxItem } from '../../../collections/outbox/server/database/queries'
import type { DiscubotOutboxItem } from '../../../collections/outbox/server/database/schema'
import { getTeamAlertSettings, readAlertWebhookSecret } from '../../../collections/team-alerts/server/database/queries'
import { getDiscubotTeamById } from '../../../collections/teams/server/database/queries'
import { getDiscubotConfigsByIds } from '../../../collections/configs/server/database/queries'
import { summarizeFailedJobs } from '../../../collections/jobs/server/database/alert-queries'
import { outboundPolicyOf } from '../../bootstrap/default-team'
import { PermanentError } from '../../utils/errors'
import { postSlackChannelMessage } from '../../sources/slack/channel'
import type { Deliverer, DeliveryContext } from '../types'
import { credentialsRefusedMessage, failedJobsMessage, queueStuckMessage, slackAlertText, testMessage, webhookAlertBody, type AlertMessage } from './message'
import { postAlertWebhook } from './webhook'
import { findSlackAlertPoster } from './slack-poster'

async function composeMessage(item: DiscubotOutboxItem, alert: AlertPayload, ctx: DeliveryContext): Promise<AlertMessage | undefined> {
  const baseUrl = ctx.settings.publicBaseUrl
  switch (alert.type) {
    case 'failed_jobs': {
      const since = new Date(alert.since!)
      const until = new Date(alert.until!)
      const summary = await summarizeFailedJobs(item.teamId, since, until)
      // Every failure of the window was deleted (or the team removed them) before it closed.
      if (summary.count === 0) return undefined
      return failedJobsMessage({ ...summary, since, until }, baseUrl)
    }
    case 'queue_stuck':
      return queueStuckMessage({ waiting: alert.waiting ?? 1, dueSince: new Date(alert.waitingSince!), jobId: alert.jobId! }, baseUrl)
    case 'credentials_refused': {
      const [config] = alert.configId ? await getDiscubotConfigsByIds(item.teamId, [alert.configId]) : []
      return credentialsRefusedMessage({ service: alert.service ?? 'A service', configName: config?.name ?? null, detail: alert.detail ?? '', jobId: alert.jobId ?? null }, baseUrl)
    }
    case 'test':
      return testMessage(alert.requestedBy ?? null, baseUrl)
  }
}

export const deliverAlert: Deliverer = async (item, ctx) => {
  const alert = alertPayloadSchema.parse(item.payload)
  const message = await composeMessage(item, alert, ctx)
  if (!message) return { status: 'skipped', error: 'Nothing left to report' }
  const result = { title: message.title, ...message.data }
  const [targets, team] = await Promise.all([getTeamAlertSettings(item.teamId), getDiscubotTeamById(item.teamId)])
  const wanted: AlertTarget[] = [...(targets?.slackChannelId ? ['slack' as const] : []), ...(targets?.webhookUrl ? ['webhook' as const] : [])]
  if (wanted.length === 0) return { status: 'skipped', result, error: 'No alert channel or webhook is set for this team' }

  const teamName = team?.name ?? item.teamId
  const body = webhookAlertBody({ id: item.dedupeKey, type: alert.type, team: { id: item.teamId, name: teamName }, createdAt: item.createdAt.toISOString() }, message)
  const text = slackAlertText(alert.type, teamName, message)
  const writes = wanted.map((target) => {
    const payload: AlertDeliveryPayload = { target, type: alert.type, alertKey: item.dedupeKey, text, body }
    return enqueueOutboxItem({ teamId: item.teamId, kind: 'alert_delivery', dedupeKey: `${item.dedupeKey}>${target}`, payload, jobId: item.jobId })
  })
  return { status: 'delivered', result: { ...result, targets: wanted }, writes }
}

export const deliverAlertToTarget: Deliverer = async (item, ctx) => {
  const delivery = alertDeliveryPayloadSchema.parse(item.payload)
  const targets = await getTeamAlertSettings(item.teamId)
  if (delivery.target === 'slack') {
    const channel = targets?.slackChannelId
    if (!channel) return { status: 'skipped', error: 'The alert channel was removed before the alert went out' }
    const poster = await findSlackAlertPoster(item.teamId)
    if (!poster) throw new PermanentError('No active Slack source with a bot token can post to the alert channel')
    const { ts } = await postSlackChannelMessage({ secrets: poster.secrets, settings: ctx.settings, signal: ctx.signal }, channel, delivery.text)
    return { status: 'delivered', result: { target: 'slack', channel, ts } }
  }
  const url = targets?.webhookUrl
  if (!url) return { status: 'skipped', error: 'The alert webhook was removed before the alert went out' }
  const secret = readAlertWebhookSecret(targets)
  if (!secret) throw new PermanentError('The webhook\'s signing secret cannot be read with this instance\'s keys: save the webhook URL again for a new secret')
  const status = await postAlertWebhook({
    url,
    secret,
    deliveryId: delivery.alertKey,
    event: delivery.type,
    body: delivery.body,
    policy: await outboundPolicyOf(item.teamId),
    timeoutMs: ctx.settings.httpTimeoutMs,
    signal: ctx.signal,
  })
  return { status: 'delivered', result: { target: 'webhook', status } }
}
