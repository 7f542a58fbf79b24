// Thread messages as people read them: Slack's mrkdwn (`<@U123>`, `<url|label>`, `&amp;`) and
// Figma's plain `@handle` mentions turned into names, our own bot's messages left out.
import type { ThreadData, ThreadMessage } from '../../shared/schemas'
import type { SourceType } from '../../shared/domain'
import { mrkdwnToText } from '../../shared/mrkdwn'

/** What a thread is called in a summary and in the model's prompt. */
export const THREAD_LABELS: Record<SourceType, string> = {
  slack: 'Slack thread',
  figma: 'Figma comment thread',
  manual: 'Pasted conversation',
}

/** Messages people wrote: bots (Discubot's own replies above all) never carry asks. */
export function humanMessages(thread: ThreadData): ThreadMessage[] {
  return thread.messages.filter(m => !m.isBot && m.text.trim() !== '')
}

/** Source user ids → names: the thread's resolved people, then what its authors are called. */
export function namesById(thread: ThreadData): Map<string, string> {
  const names = new Map<string, string>()
  for (const m of thread.messages) if (m.authorId && m.author && m.author !== m.authorId) names.set(m.authorId, m.author)
  for (const person of thread.people ?? []) if (person.name && person.name !== person.id) names.set(person.id, person.name)
  return names
}

/**
 * A message as people read it, mentions by name. `mention(name)` decides how a mention appears
 * (plain `@name` for prompts; a placeholder token for the offline extractor, which must not split
 * names on spaces).
 */
export function readableText(text: string, names: Map<string, string>, mention: (name: string) => string = name => `@${name}`): string {
  // The resolved name beats the legacy `<@U123|label>`, which is only what the handle was then.
  return mrkdwnToText(text, { mention: (id, label) => mention(names.get(id) || label || id) })
}

/** A readable label for who took part: "Dana", "Dana and Lee", "Dana, Lee and 3 others". */
export function listNames(names: string[], max = 4): string {
  if (names.length <= 1) return names[0] ?? 'nobody'
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
  return `${names.slice(0, max - 1).join(', ')} and ${names.length - max + 1} others`
}

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.lastIndexOf(' ', max - 1)
  return `${flat.slice(0, cut > max * 0.6 ? cut : max - 1)}…`
}
