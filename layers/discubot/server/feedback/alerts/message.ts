// What an alert says, once, for every target: a title, a few detail lines and a link, rendered as
// Slack mrkdwn for the channel and as the JSON body of the webhook. Pure: the facts come in.
import type { AlertType } from '../../../shared/domain'
import { escapeSlackText, slackLink } from '../../sources/slack/reply'
import { truncate } from '../../sources/text'

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

export interface AlertMessage {
  title: string
  details: string[]
  link: { url: string, label: string }
  /** The webhook body's own fields for this type. */
  data: Record<string, Json>
}

const MAX_ERROR_CHARS = 300

function url(baseUrl: string, path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString()
  return `${baseUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`
}

const utcTime = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`
const day = (at: Date) => at.toISOString().slice(0, 10)
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export interface FailedJobsFacts {
  count: number
  topErrors: { error: string, count: number }[]
  since: Date
  until: Date
  /** The Failed view filters on creation: from the day the earliest of them was created. */
  firstCreatedAt: Date | null
}

export function failedJobsMessage(facts: FailedJobsFacts, baseUrl: string): AlertMessage {
  const link = url(baseUrl, '/jobs', { status: 'failed', from: day(facts.firstCreatedAt ?? facts.since), to: day(facts.until) })
  return {
    title: `${plural(facts.count, 'job')} failed between ${utcTime(facts.since)} and ${utcTime(facts.until)}`,
    details: facts.topErrors.map(top => `${top.count}× ${truncate(top.error, MAX_ERROR_CHARS)}`),
    link: { url: link, label: 'Open the failed jobs' },
    data: {
      count: facts.count,
      since: facts.since.toISOString(),
      until: facts.until.toISOString(),
      topErrors: facts.topErrors.map(top => ({ error: truncate(top.error, MAX_ERROR_CHARS), count: top.count })),
    },
  }
}

export interface QueueStuckFacts {
  waiting: number
  dueSince: Date
  jobId: string
}

export function queueStuckMessage(facts: QueueStuckFacts, baseUrl: string): AlertMessage {
  return {
    title: 'The queue stopped moving',
    details: [`${plural(facts.waiting, 'job is', 'jobs are')} waiting; the oldest has been due since ${utcTime(facts.dueSince)} and no worker picked it up.`],
    link: { url: url(baseUrl, '/jobs', { status: 'pending' }), label: 'Open the waiting jobs' },
    data: { waiting: facts.waiting, dueSince: facts.dueSince.toISOString(), oldestJobId: facts.jobId },
  }
}

export interface CredentialsFacts {
  service: string
  configName: string | null
  detail: string
  jobId: string | null
}

export function credentialsRefusedMessage(facts: CredentialsFacts, baseUrl: string): AlertMessage {
  const source = facts.configName ? ` for the source "${facts.configName}"` : ''
  return {
    title: `${facts.service} refused Discubot's credentials${source}`,
    details: [truncate(facts.detail, MAX_ERROR_CHARS), 'Jobs fail until the token or key is fixed on the Sources page.'],
    link: facts.jobId ? { url: url(baseUrl, `/jobs/${facts.jobId}`), label: 'Open the failed job' } : { url: url(baseUrl, '/sources'), label: 'Open the sources' },
    data: { service: facts.service, source: facts.configName, detail: truncate(facts.detail, MAX_ERROR_CHARS), jobId: facts.jobId },
  }
}

export function testMessage(requestedBy: string | null, baseUrl: string): AlertMessage {
  return {
    title: 'Test alert from Discubot',
    details: [`Alerts of this team arrive here${requestedBy ? ` (sent by ${requestedBy})` : ''}.`],
    link: { url: url(baseUrl, '/settings'), label: 'Open the alert settings' },
    data: {},
  }
}

const ICONS: Record<AlertType, string> = {
  failed_jobs: ':rotating_light:',
  queue_stuck: ':hourglass_flowing_sand:',
  credentials_refused: ':closed_lock_with_key:',
  test: ':bell:',
}

export function slackAlertText(type: AlertType, teamName: string, message: AlertMessage): string {
  return [
    `${ICONS[type]} *${escapeSlackText(message.title)}* (Discubot, ${escapeSlackText(teamName)})`,
    ...message.details.map(line => `• ${escapeSlackText(line)}`),
    slackLink(message.link.url, message.link.label),
  ].join('\n')
}

export interface AlertEnvelope {
  /** The alert's dedupe key: the same on every retry, so a receiver can drop duplicates. */
  id: string
  type: AlertType
  team: { id: string, name: string }
  createdAt: string
}

export function webhookAlertBody(envelope: AlertEnvelope, message: AlertMessage): Record<string, Json> {
  return { ...envelope, title: message.title, details: message.details, link: message.link.url, ...message.data }
}
