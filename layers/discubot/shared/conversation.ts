// A conversation pasted in the admin ("New discussion"): how the text becomes messages (the page
// parses as you type, the API takes the messages), and the body of `POST /api/discussions`.
import { z } from 'zod'
import { MAX_PASTED_CHARS, MAX_PASTED_MESSAGES, type PastedMessage } from './schemas'

export { MAX_PASTED_CHARS, MAX_PASTED_MESSAGES }

/** Who wrote a free text that names nobody. */
export const UNNAMED_AUTHOR = 'Someone'

/**
 * `Name: text` at the start of a line opens a message. A name is short and has no sentence
 * punctuation, so "Note: the build is red" in the middle of a message stays text. Slack's copy
 * format ("Dana Lee  10:42 AM") is a name line too, its time dropped.
 */
const SPEAKER = /^\s*(?:\[[^\]]{1,40}\]\s*)?([\p{L}\p{N}@][\p{L}\p{N} ._'@-]{0,58}?)\s*:\s+(.*)$/u
const SLACK_HEADER = /^\s*([\p{L}][\p{L}\p{N} ._'-]{0,58}?)\s{2,}\d{1,2}:\d{2}(?:\s?[AP]M)?\s*$/iu
/** Words that open a sentence, not a speaker's turn. */
const NOT_A_NAME = /^(note|todo|action items?|next steps?|update|fyi|ps|re|question|answer|summary|context|edit|q|a|https?)$/i

/** "dana", "Dana Lee", "Mary-Ann O'Neil": one word, or a few capitalized ones ("The plan: …" is a sentence). */
function isName(name: string): boolean {
  const words = name.split(/\s+/)
  if (NOT_A_NAME.test(name) || words.length > 4) return false
  return words.length === 1 || words.every(word => /^[\p{Lu}\p{N}@]/u.test(word))
}

/**
 * Lines `Name: text` (or Slack's copied "Name  10:42 AM" headers) become one message per turn,
 * continuation lines staying with their message; a text without any becomes one message.
 * Blank messages are dropped.
 */
export function parseConversation(text: string): PastedMessage[] {
  const messages: PastedMessage[] = []
  let current: PastedMessage | null = null
  let sawSpeaker = false
  const flush = () => {
    if (current && current.text.trim()) messages.push({ author: current.author, text: current.text.trim() })
    current = null
  }
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const header = SLACK_HEADER.exec(line)
    const turn = header ? null : SPEAKER.exec(line)
    const name = (header?.[1] ?? turn?.[1])?.trim()
    if (name && isName(name)) {
      flush()
      sawSpeaker = true
      current = { author: name, text: turn?.[2] ?? '' }
      continue
    }
    if (current) current.text += `\n${line}`
    else current = { author: UNNAMED_AUTHOR, text: line }
  }
  flush()
  if (!sawSpeaker && messages.length) return [{ author: UNNAMED_AUTHOR, text: messages.map(m => m.text).join('\n') }]
  return messages
}

const messageInput = z.object({
  author: z.string().trim().max(200, 'an author name is at most 200 characters').transform(name => name || UNNAMED_AUTHOR),
  text: z.string().max(MAX_PASTED_CHARS),
})

/** `POST /api/discussions` and its dry run (`/preview`). */
export const pastedConversationSchema = z.object({
  title: z.string().trim().max(200, 'a title is at most 200 characters').optional(),
  /**
   * The config whose analyzer and task target to use. Absent: the team's "Pasted conversations"
   * config if it has one, else its defaults; null: the team's defaults.
   */
  configId: z.string().min(1).max(64).nullable().optional(),
  messages: z.array(messageInput)
    .max(MAX_PASTED_MESSAGES, `at most ${MAX_PASTED_MESSAGES.toLocaleString('en')} messages per conversation`)
    .transform(messages => messages.filter(m => m.text.trim() !== '').map(m => ({ author: m.author, text: m.text.trim() })))
    .pipe(z.array(messageInput).min(1, 'paste at least one message'))
    .refine(messages => messages.reduce((n, m) => n + m.text.length, 0) <= MAX_PASTED_CHARS, `a conversation holds at most ${MAX_PASTED_CHARS.toLocaleString('en')} characters`),
})
export type PastedConversation = z.infer<typeof pastedConversationSchema>
