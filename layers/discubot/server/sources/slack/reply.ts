// The thread reply as Slack mrkdwn: the summary, then each task as a link. The marker travels in
// message metadata (invisible to people), where findReply looks for it.
import type { ReplyContent } from '../types'
import { truncate } from '../text'

export const SLACK_REPLY_EVENT_TYPE = 'discubot_reply'
/** chat.postMessage truncates beyond 40,000 characters; stay well under it. */
const MAX_REPLY_CHARS = 39_000
const MAX_SUMMARY_CHARS = 3000

/** Slack's three control characters in text (https://docs.slack.dev/messaging/formatting-message-text). */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C')
  return `<${safeUrl}|${escapeSlackText(label.replace(/\s+/g, ' ').trim())}>`
}

export function formatSlackReply(reply: ReplyContent): string {
  if (reply.kind === 'note') return truncate(`${reply.resolved ? ':white_check_mark:' : ':warning:'} ${escapeSlackText(reply.text)} ${slackLink(reply.link.url, reply.link.label)}`, MAX_REPLY_CHARS)
  const lines = [`*Discubot summary*`, escapeSlackText(truncate(reply.summary.trim(), MAX_SUMMARY_CHARS)) || '_No summary._', '']
  if (reply.tasks.length === 0) lines.push('No tasks detected.')
  else lines.push(`*Tasks (${reply.tasks.length})*`, ...reply.tasks.map(task => `• ${slackLink(task.url, task.title)}`))
  return truncate(lines.join('\n'), MAX_REPLY_CHARS)
}

export function slackReplyMetadata(marker: string) {
  return { event_type: SLACK_REPLY_EVENT_TYPE, event_payload: { marker } }
}
