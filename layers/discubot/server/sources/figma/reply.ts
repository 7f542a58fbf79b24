// The thread reply as a plain-text Figma comment (comments render no markup). The last line is
// the marker findReply looks for, since Figma comments have no hidden metadata.
import type { ReplyContent } from '../types'
import { truncate } from '../text'

const MAX_SUMMARY_CHARS = 3000

/** `[discubot:<marker>]`; a marker that already says `discubot:` is not prefixed twice. */
export function figmaReplyMarkerLine(marker: string): string {
  return `[discubot:${marker.replace(/^discubot:/, '')}]`
}

export function formatFigmaReply(reply: ReplyContent): string {
  if (reply.kind === 'note') return [reply.text, `${reply.link.label}: ${reply.link.url}`, '', figmaReplyMarkerLine(reply.marker)].join('\n')
  const lines = ['Discubot summary:', truncate(reply.summary.trim(), MAX_SUMMARY_CHARS) || '(no summary)', '']
  if (reply.tasks.length === 0) lines.push('No tasks detected.')
  else lines.push(`Tasks (${reply.tasks.length}):`, ...reply.tasks.map(task => `• ${task.title.replace(/\s+/g, ' ').trim()}: ${task.url}`))
  lines.push('', figmaReplyMarkerLine(reply.marker))
  return lines.join('\n')
}

export function isFigmaReplyFor(message: string, marker: string): boolean {
  return message.trimEnd().endsWith(figmaReplyMarkerLine(marker))
}

const ANY_REPLY_MARKER = /\[discubot:[^\]\s]+\]\s*$/

/**
 * A comment Discubot posted, whoever's token posted it: it ends with our marker line. With a
 * personal access token the "bot" is a person, so the author cannot tell our replies from theirs.
 */
export function isOwnFigmaReply(message: string): boolean {
  return ANY_REPLY_MARKER.test(message)
}
