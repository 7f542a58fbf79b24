// What a verified Slack delivery asks of us: answer a challenge, start a discussion for an
// app_mention, or nothing (with the reason, so a skipped event can be explained).
import type { SourceConfig } from '../../../shared/source-config'
import type { DiscussionInput } from '../../../shared/schemas'
import type { ParsedDelivery } from '../types'
import { parseOrReject } from '../rejection'
import { mrkdwnToText } from '../../../shared/mrkdwn'
import { CONTENT_MAX_CHARS, titleFrom, truncate } from '../text'
import { slackAppMentionSchema, slackBodySchema, slackEventCallbackSchema, slackTokensRevokedSchema, slackUrlVerificationSchema, type SlackEventCallback, type SlackMessageEvent } from './envelope'

export type SlackDeliveryConfig = Pick<SourceConfig, 'botUserId' | 'slackChannelIds'>

/** Edits, deletions and channel housekeeping: never a question for us (../shared/reference/slack.md §1). */
const IGNORED_SUBTYPES = new Set([
  'bot_message', 'message_changed', 'message_deleted', 'message_replied', 'channel_join', 'channel_leave',
  'channel_topic', 'channel_purpose', 'channel_name', 'channel_archive', 'channel_unarchive', 'ekm_access_denied',
])

/** The envelope's `type`, or a 400 when there is none. */
export function readSlackEnvelope(json: unknown): { type: string } {
  return { type: parseOrReject(slackBodySchema, json, 'Invalid Slack event').type }
}

/**
 * The dedupe key: the mentioning message itself. Slack's retries repeat it, and so does the
 * second delivery of one message through another subscription (which has its own event_id).
 */
export function slackEventId(teamId: string, event: Pick<SlackMessageEvent, 'channel' | 'ts'>): string {
  return `${teamId}:${event.channel}:${event.ts}`
}

export function isSlackRedelivery(headers: Record<string, string | undefined>): boolean {
  return Boolean(headers['x-slack-retry-num'])
}

/**
 * A deterministic link to the thread, built without an API call at webhook time (chat.getPermalink
 * would make the ack depend on Slack). app_redirect opens the channel in the right workspace.
 */
export function slackThreadUrl(teamId: string, channel: string, rootTs: string): string {
  const query = new URLSearchParams({ team: teamId, channel, message_ts: rootTs })
  return `https://slack.com/app_redirect?${query.toString()}`
}

function ignoreReason(event: SlackMessageEvent, config: SlackDeliveryConfig): string | null {
  if (event.bot_id || event.subtype === 'bot_message') return 'message from a bot'
  if (config.botUserId && event.user === config.botUserId) return 'message from our own bot user'
  if (event.subtype && IGNORED_SUBTYPES.has(event.subtype)) return `message subtype ${event.subtype}`
  const channels = config.slackChannelIds ?? []
  if (channels.length > 0 && !channels.includes(event.channel)) return `channel ${event.channel} is not in the config's channel list`
  return null
}

function discussionFrom(envelope: SlackEventCallback, event: SlackMessageEvent): DiscussionInput {
  const root = event.thread_ts ?? event.ts
  // The mention that triggered us is noise in a title.
  const readable = mrkdwnToText(event.text, { mention: () => ' ' })
  return {
    sourceType: 'slack',
    sourceThreadId: `${envelope.team_id}:${event.channel}:${root}`,
    sourceUrl: slackThreadUrl(envelope.team_id, event.channel, root),
    title: titleFrom(readable, `Slack thread in ${event.channel}`),
    content: truncate(event.text, CONTENT_MAX_CHARS),
    authorHandle: truncate(event.user ?? 'unknown', 200),
    thread: {
      kind: 'slack',
      workspaceId: envelope.team_id,
      channel: event.channel,
      threadTs: root,
      messageTs: event.ts,
      ...(event.user ? { userId: event.user } : {}),
    },
  }
}

/**
 * Interprets a Slack body for `config` (the config whose secret verified it). Throws a
 * `DeliveryRejection` (400) naming the field when a body we act on is malformed.
 */
export function parseSlackDelivery(json: unknown, config: SlackDeliveryConfig, options: { redelivery?: boolean } = {}): ParsedDelivery {
  const { type } = readSlackEnvelope(json)
  if (type === 'url_verification') {
    const body = parseOrReject(slackUrlVerificationSchema, json, 'Invalid Slack url_verification')
    return { kind: 'challenge', challenge: body.challenge }
  }
  if (type !== 'event_callback') return { kind: 'ignore', reason: `Slack ${type} body` }

  const envelope = parseOrReject(slackEventCallbackSchema, json, 'Invalid Slack event_callback')
  if (envelope.event.type !== 'app_mention') return { kind: 'ignore', reason: `event type ${envelope.event.type}`, eventId: envelope.event_id }
  const { event } = parseOrReject(slackAppMentionSchema, json, 'Invalid Slack app_mention event')
  const reason = ignoreReason(event, config)
  if (reason) return { kind: 'ignore', reason, eventId: slackEventId(envelope.team_id, event) }
  return {
    kind: 'discussion',
    eventId: slackEventId(envelope.team_id, event),
    input: discussionFrom(envelope, event),
    redelivery: Boolean(options.redelivery),
  }
}

/**
 * Why a config of the event's workspace must stop (the app was uninstalled there, or its bot token
 * revoked), or null when the event says nothing about it. A config that never learned its bot user
 * cannot tell whether a revocation is its own, and stays on: a dead token shows in its next job.
 */
export function slackDeactivationReason(envelope: SlackEventCallback, config: Pick<SourceConfig, 'botUserId'>): string | null {
  if (envelope.event.type === 'app_uninstalled') {
    return `The Slack app was uninstalled from workspace ${envelope.team_id} (app_uninstalled): add it to Slack again to reconnect.`
  }
  if (envelope.event.type !== 'tokens_revoked') return null
  const { event } = parseOrReject(slackTokensRevokedSchema, envelope, 'Invalid Slack tokens_revoked event')
  if (!config.botUserId || !(event.tokens.bot ?? []).includes(config.botUserId)) return null
  return `Slack revoked the bot token in workspace ${envelope.team_id} (tokens_revoked): add the app to Slack again, or enter a new bot token.`
}
