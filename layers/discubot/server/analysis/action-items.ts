// The offline analyzer's reading of a thread: explicit asks only ("can you…", "we need to…",
// "TODO", "- [ ] …", "Dana will…", "please…"), with the assignee, priority and due date the thread
// states. Questions that are not asks, statements and decisions yield nothing — a thread without
// asks has no tasks.
import type { TaskPriority } from '../../shared/domain'
import type { DetectedTask, ThreadMessage } from '../../shared/schemas'
import { clip, readableText } from './thread-text'

/** Mentions become placeholder tokens while parsing, so names with spaces stay one unit. */
const OPEN = '\uE000'
const CLOSE = '\uE001'
const TOKEN = `${OPEN}(\\d+)${CLOSE}`
const LEAD_TOKENS = new RegExp(`^(?:(?:${TOKEN})[,:]?\\s*)+`)
const tokenAt = (index: number) => `${OPEN}${index}${CLOSE}`

interface MessageContext {
  author: string
  mentions: string[]
  /** Lower-cased first names (and full names) of everyone in the thread → the name to assign. */
  people: Map<string, string>
}

interface Ask {
  phrase: string
  assignee: string | null
}

const GREETING = /^(?:(?:hey|hi|hello|ok|okay|so|then|great|cool|thanks|perfect|alright|also|and|yes|yep|sure|sounds good|good (?:call|idea|point))\b[\s,!.:;-]*)+/i
const BOT_NAME = /^discubot$/i
const NOT_A_TASK = /^(?:believe|imagine|hear|be\b|tell (?:me|us)\b|let (?:me|us|you|u) know|remind me|see (?:it|this|that)\b|keep (?:me|us|you) posted|note\b|ignore|disregard|advise|find attached|feel free|stand by|hold on|get back to)/i
/** Asks addressed to Discubot itself ("turn this into tasks"), which are its trigger, not work. */
const META_ASK = /\b(?:tasks?|tickets?|action items?|notion|summary|this thread)\b/i
const META_VERB = /\b(?:create|make|turn|file|log|track|capture|open|add|generate|write up|summari[sz]e|recap)\b/i

const PRIORITY_RULES: [RegExp, TaskPriority][] = [
  [/\b(?:not urgent|no rush|nice[- ]to[- ]have|low[- ]priority|whenever|when you get a chance|someday|eventually|p3)\b/i, 'low'],
  [/\b(?:urgent(?:ly)?|asap|a\.s\.a\.p|p0|sev ?[01]|critical|immediately|right away|emergency|hotfix)\b/i, 'urgent'],
  [/\b(?:blockers?|blocking|important|high[- ]priority|p1|sev ?2|today|eod|end of (?:the )?day|before (?:the )?(?:release|launch|demo))\b/i, 'high'],
]

export function priorityIn(text: string): TaskPriority | undefined {
  return PRIORITY_RULES.find(([pattern]) => pattern.test(text))?.[1]
}

const ISO_DATE = /\b(?:(?:by|before|on|due|until|no later than)\s+)?(\d{4}-\d{2}-\d{2})\b/i

function tokenise(message: ThreadMessage, names: Map<string, string>): { text: string, mentions: string[] } {
  const mentions: string[] = []
  const mention = (name: string) => tokenAt(mentions.push(name.trim()) - 1)
  const slackFree = readableText(message.text, names, mention)
  // Figma (and plain-text) mentions: `@dana`, never an e-mail address.
  const text = slackFree.replace(/(^|[\s(])@([A-Za-z][\w.-]*[\w])/g, (whole, before: string, handle: string) =>
    /^(?:here|channel|everyone)$/i.test(handle) ? whole : `${before}${mention(handle)}`)
  return { text, mentions }
}

function nameOf(ctx: MessageContext, token: string | undefined, word: string | undefined): string | null {
  if (token !== undefined) {
    const name = ctx.mentions[Number(token)]
    if (!name || BOT_NAME.test(name)) return null
    // `@marco` in a Figma comment is the Marco Bianchi who wrote in the thread.
    return ctx.people.get(name.toLowerCase()) ?? name
  }
  if (!word) return null
  return ctx.people.get(word.toLowerCase()) ?? null
}

function firstMention(ctx: MessageContext, text: string): string | null {
  for (const match of text.matchAll(new RegExp(TOKEN, 'g'))) {
    const name = nameOf(ctx, match[1], undefined)
    if (name) return name
  }
  return null
}

/** The ask in one sentence, if it is one. Order matters: the most specific shapes first. */
function matchAsk(sentence: string, ctx: MessageContext): Ask | null {
  const question = /\?\s*$/.test(sentence)
  const lead = sentence.match(LEAD_TOKENS)?.[0] ?? ''
  const body = sentence.slice(lead.length).replace(GREETING, '').replace(LEAD_TOKENS, '')
  const leadName = firstMention(ctx, lead)
  let m: RegExpMatchArray | null

  if ((m = body.match(/^(?:TODO|to-?do)\s*[:\-–]\s*(.+)/i) ?? body.match(/^TODO\s+(.+)/))) return { phrase: m[1]!, assignee: firstMention(ctx, m[1]!) }
  if ((m = body.match(/^(?:action items?|next steps?|follow[- ]ups?)\s*[:\-–]\s*(.+)/i))) return { phrase: m[1]!, assignee: firstMention(ctx, m[1]!) }

  m = body.match(/\b(?:can|could|would|will)\s+(you|u|someone|somebody|anyone|anybody)\s+(?:please\s+|pls\s+|maybe\s+|also\s+|quickly\s+|mind\s+)*(.+)/i)
  if (m) return { phrase: m[2]!, assignee: /^(?:you|u)$/i.test(m[1]!) ? leadName ?? firstMention(ctx, sentence) : null }

  m = body.match(/^(?:please|pls|plz)\s+(.+)/i) ?? body.match(/[,;]\s*(?:please|pls)\s+(.+)/i)
  if (m) return { phrase: m[1]!, assignee: leadName ?? firstMention(ctx, m[1]!) }

  if (question) return null

  m = body.match(new RegExp(`^(?:${TOKEN}|([A-Z][\\p{L}'-]+))\\s+(?:will|is going to|is gonna)\\s+(.+)`, 'u'))
  if (m) {
    const name = nameOf(ctx, m[1], m[2])
    if (name) return { phrase: m[3]!, assignee: name }
  }
  m = body.match(/^I(?:'ll|’ll| will| am going to|'m going to|’m going to)\s+(.+)/)
  if (m) return { phrase: m[1]!, assignee: ctx.author }

  m = body.match(new RegExp(`^(?:${TOKEN}|([A-Z][\\p{L}'-]+))\\s+to\\s+(.+)`, 'u'))
  if (m) {
    const name = nameOf(ctx, m[1], m[2])
    if (name) return { phrase: m[3]!, assignee: name }
  }

  m = body.match(new RegExp(`(?:^|\\b)(we|i|you|someone|somebody|they|the team|${TOKEN})?\\s*(?:still\\s+|also\\s+|really\\s+|just\\s+|definitely\\s+)?(?:need|needs|have|has|must|gotta)\\s+to\\s+(.+)`, 'i'))
  if (m && (m[1] || /^(?:need|needs)\s+to\b/i.test(body))) {
    const who = m[1]?.toLowerCase()
    const assignee = who === 'i' ? ctx.author : m[2] !== undefined ? nameOf(ctx, m[2], undefined) : who === 'you' ? leadName : null
    return { phrase: m[3]!, assignee }
  }

  m = body.match(new RegExp(`\\b(we|someone|somebody|you|${TOKEN})\\s+(?:probably\\s+|really\\s+|also\\s+|definitely\\s+|still\\s+)?should\\s+(?!not\\b|be\\b|have been\\b|probably be\\b)(.+)`, 'i'))
  if (m) return { phrase: m[3]!, assignee: m[2] !== undefined ? nameOf(ctx, m[2], undefined) : m[1]?.toLowerCase() === 'you' ? leadName : null }

  return null
}

/** "assign to Dana", "owner: @lee" inside a sentence: the assignee, and the sentence without it. */
function explicitAssignee(text: string, ctx: MessageContext): { name: string | null, rest: string } {
  const pattern = new RegExp(`[,;(—–-]?\\s*\\b(?:assign(?:ed)?\\s+(?:it\\s+|this\\s+)?to|owner\\s*:)\\s+(?:${TOKEN}|([A-Z][\\p{L}'-]+))\\)?`, 'iu')
  const m = text.match(pattern)
  if (!m) return { name: null, rest: text }
  return { name: nameOf(ctx, m[1], m[2]) ?? m[2] ?? null, rest: text.replace(pattern, ' ') }
}

/** Placeholders back to names: bare in titles ("send the deck to Dana"), `@name` in quotes. */
function withNames(text: string, ctx: MessageContext, prefix = ''): string {
  return text.replace(new RegExp(TOKEN, 'g'), (_, i: string) => `${prefix}${ctx.mentions[Number(i)] ?? ''}`)
}

/** A task title from the asked-for phrase: no politeness, no date (it goes to dueDate), capitalised. */
function titleFrom(phrase: string, ctx: MessageContext): { title: string, dueDate: string | null } | null {
  // A mention before or after the ask names its addressee, not part of the work.
  const bare = phrase.replace(LEAD_TOKENS, '').replace(new RegExp(`(?:[\\s,]*${TOKEN})+[\\s.!?]*$`), '')
  let text = withNames(bare, ctx)
  const due = text.match(ISO_DATE)
  if (due) text = text.replace(ISO_DATE, ' ')
  text = text
    // The work is the first clause; the reasons after a dash or "because" stay in the description.
    .replace(/(?:\s+(?:[—–]|-|because|since|so that)\s+|;\s*).*$/i, '')
    .replace(/\s*\[(?:hold|test)[^\]]*\]/gi, ' ')
    .replace(/\s*\(?\b(?:please|pls|plz|thanks|thank you|thx|asap|if possible|if you can|when you get a chance|for me)\b\)?/gi, ' ')
    .replace(/\s*:[a-z0-9_+-]+:/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[\s,;:.!?—–-]+$/, '')
    .trim()
  if (NOT_A_TASK.test(text) || text.split(' ').length < 2) return null
  if (/^(?:summari[sz]e|recap|tl;?dr)\b/i.test(text) || (META_ASK.test(text) && META_VERB.test(text))) return null
  return { title: clip(text[0]!.toUpperCase() + text.slice(1), 120), dueDate: due?.[1] ?? null }
}

const BULLET = /^\s*(?:[-*•◦▪‣]|\d+[.)])\s+/
const CHECKBOX = /^\s*(?:[-*•]\s*)?\[([ xX])\]\s+(.*)$/
const HEADING = /^\s*\**(?:action items?|next steps?|to-?dos?|follow[- ]ups?|tasks?)\**\s*:?\s*$/i

/** Sentences of a line; a bullet under an "Action items:" heading is an ask as a whole. */
function sentencesOf(line: string): string[] {
  return line.split(/(?<=[.!?])\s+(?=\S)/).map(s => s.trim()).filter(Boolean)
}

/** A list item under a heading or a checkbox: "Dana: update copy", "@lee fix CTA", "update copy (Dana)". */
function listItemAsk(content: string, ctx: MessageContext): Ask {
  const named = content.match(new RegExp(`^(?:${TOKEN}|([A-Z][\\p{L}'-]+))\\s*[:—–-]\\s*(.+)`, 'u'))
  if (named) {
    const name = nameOf(ctx, named[1], named[2])
    if (name) return { phrase: named[3]!, assignee: name }
  }
  const led = content.match(new RegExp(`^${TOKEN}\\s+(.+)`))
  if (led) return { phrase: led[2]!, assignee: nameOf(ctx, led[1], undefined) }
  const trailing = content.match(/^(.+?)\s*\(([A-Z][\p{L}'-]+)\)\s*$/u)
  if (trailing && ctx.people.has(trailing[2]!.toLowerCase())) return { phrase: trailing[1]!, assignee: ctx.people.get(trailing[2]!.toLowerCase())! }
  // "- [ ] Can you update the copy?" reads like any other sentence.
  const asked = matchAsk(content, ctx)
  return asked ?? { phrase: content, assignee: firstMention(ctx, content) }
}

function peopleOf(messages: ThreadMessage[], names: Map<string, string>): Map<string, string> {
  const people = new Map<string, string>()
  const add = (name: string) => {
    if (!name || BOT_NAME.test(name)) return
    people.set(name.toLowerCase(), name)
    const first = name.split(/\s+/)[0]!
    if (!people.has(first.toLowerCase())) people.set(first.toLowerCase(), name)
  }
  for (const m of messages) add(m.author)
  for (const name of names.values()) add(name)
  return people
}

/** Every explicit ask in the thread, in order, one task each (duplicates are merged later). */
export function findAsks(messages: ThreadMessage[], names: Map<string, string>): DetectedTask[] {
  const people = peopleOf(messages, names)
  const tasks: DetectedTask[] = []

  for (const message of messages) {
    const { text, mentions } = tokenise(message, names)
    const ctx: MessageContext = { author: message.author, mentions, people }
    const messagePriority = priorityIn(withNames(text, ctx))
    const whole = withNames(text, ctx, '@')
    // The whole message gives an ask its context, unless it is long: then the ask's own line.
    const describe = (sentence: string) => {
      const quote = whole.length <= 400 ? whole : withNames(sentence, ctx, '@')
      return `${message.author} wrote: “${clip(quote, 1500)}”${message.permalink ? `\n${message.permalink}` : ''}`
    }
    let underHeading = false

    const add = (ask: Ask, sentence: string) => {
      const assigned = explicitAssignee(ask.phrase, ctx)
      const made = titleFrom(assigned.rest, ctx)
      if (!made) return
      tasks.push({
        title: made.title,
        description: describe(sentence),
        priority: priorityIn(withNames(sentence, ctx)) ?? messagePriority ?? 'medium',
        assignee: assigned.name ?? ask.assignee ?? explicitAssignee(sentence, ctx).name,
        dueDate: made.dueDate ?? sentence.match(ISO_DATE)?.[1] ?? null,
      })
    }

    for (const line of text.split('\n')) {
      if (!line.trim()) {
        underHeading = false
        continue
      }
      if (HEADING.test(line)) {
        underHeading = true
        continue
      }
      const checkbox = line.match(CHECKBOX)
      if (checkbox) {
        if (checkbox[1] === ' ') add(listItemAsk(checkbox[2]!, ctx), checkbox[2]!)
        continue
      }
      const bullet = BULLET.test(line)
      if (underHeading && bullet) {
        const content = line.replace(BULLET, '')
        add(listItemAsk(content, ctx), content)
        continue
      }
      underHeading = false
      for (const sentence of sentencesOf(line.replace(BULLET, ''))) {
        // "Assign it to Dana." on its own names the owner of the ask just before it.
        const alone = explicitAssignee(sentence, ctx)
        const previous = tasks.at(-1)
        if (alone.name && !/\p{L}{3,}/u.test(alone.rest.replace(/\b(?:and|it|this|ok|okay)\b/gi, '')) && previous) {
          previous.assignee ??= alone.name
          continue
        }
        const ask = matchAsk(sentence, ctx)
        if (ask) add(ask, sentence)
      }
    }
  }
  return tasks
}
