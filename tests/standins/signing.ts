// What Slack and Figma would send us: signed Slack Events API requests and Figma webhook
// payloads, built independently of the code under test (the HMAC is computed here, pinned by
// the reference's test vector in the unit tests).
import { createHmac } from 'node:crypto'

export function slackSignature(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`
}

export interface SlackSigningOptions {
  /** Unix seconds; now by default. */
  timestamp?: number
  /** Sets X-Slack-Retry-Num (a redelivery). */
  retryNum?: number
}

export function signedSlackHeaders(rawBody: string, secret: string, options: SlackSigningOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  return {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, rawBody),
    ...(options.retryNum ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
  }
}

export function slackUrlVerification(challenge: string) {
  return { token: 'legacy-token', challenge, type: 'url_verification' }
}

export interface AppMentionOptions {
  teamId?: string
  channel?: string
  user?: string
  text?: string
  ts?: string
  threadTs?: string
  eventId?: string
  botUserId?: string
  /** Extra fields on the inner event (bot_id, subtype, …). */
  event?: Record<string, unknown>
}

let eventSeq = 0

/** An event_callback envelope around an app_mention, shaped like slack.md §1. */
export function slackAppMention(options: AppMentionOptions = {}) {
  eventSeq += 1
  const teamId = options.teamId ?? 'T0STANDIN'
  const ts = options.ts ?? `1700001000.${String(eventSeq).padStart(6, '0')}`
  const user = options.user ?? 'U0ALICE'
  return {
    token: 'legacy-token',
    team_id: teamId,
    api_app_id: 'A0DISCUBOT',
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${String(eventSeq).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: options.botUserId ?? 'U0DISCUBOT', is_bot: true, is_enterprise_install: false }],
    event: {
      type: 'app_mention',
      user,
      text: options.text ?? `<@${options.botUserId ?? 'U0DISCUBOT'}> can we turn this thread into tasks?`,
      ts,
      channel: options.channel ?? 'C0GENERAL',
      event_ts: ts,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      ...options.event,
    },
  }
}

/** An event_callback envelope around any other inner event (`app_uninstalled`, `tokens_revoked`, …). */
export function slackEventCallback(teamId: string, event: Record<string, unknown>) {
  const { event: _mention, ...envelope } = slackAppMention({ teamId })
  return { ...envelope, event }
}

/** POSTs a body to the Slack webhook, signed with `secret` (a string body is sent as is). */
export function postSlackEvent(baseUrl: string, body: unknown, secret: string, options: SlackSigningOptions & { headers?: Record<string, string>, signal?: AbortSignal } = {}): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  return fetch(`${baseUrl}/api/webhooks/slack`, {
    method: 'POST',
    headers: { ...signedSlackHeaders(raw, secret, options), ...options.headers },
    body: raw,
    signal: options.signal,
  })
}

export function figmaPing(options: { passcode: string, webhookId?: string | number }) {
  return { event_type: 'PING', passcode: options.passcode, timestamp: new Date().toISOString(), webhook_id: options.webhookId ?? '22' }
}

export interface FigmaCommentOptions {
  passcode: string
  webhookId?: string | number
  fileKey?: string
  fileName?: string
  commentId?: string
  parentId?: string
  /** Fragments; by default "Can we " @Discubot " fix the CTA?" */
  comment?: ({ text: string } | { mention: string })[]
  mentions?: { id: string, handle: string }[]
  triggeredBy?: { id: string, handle: string }
  retries?: number
}

/** A FILE_COMMENT payload shaped like figma.md §3. */
export function figmaFileComment(options: FigmaCommentOptions) {
  return {
    event_type: 'FILE_COMMENT',
    file_key: options.fileKey ?? 'AbC123',
    file_name: options.fileName ?? 'Checkout v2',
    comment_id: options.commentId ?? '1002',
    ...(options.parentId !== undefined ? { parent_id: options.parentId } : {}),
    comment: options.comment ?? [{ text: 'Can we ' }, { mention: '900001' }, { text: ' fix the CTA?' }],
    mentions: options.mentions ?? [{ id: '900001', handle: 'discubot', img_url: 'https://standin.figma.test/bot.png' }],
    created_at: new Date().toISOString(),
    triggered_by: { img_url: 'https://standin.figma.test/lee.png', ...(options.triggeredBy ?? { id: '799', handle: 'Lee' }) },
    passcode: options.passcode,
    timestamp: new Date().toISOString(),
    webhook_id: options.webhookId ?? '22',
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  }
}

export function postFigmaEvent(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/webhooks/figma`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}
