// What a model is told. Long threads are fitted to a character budget by dropping messages from
// the middle (the opening ask and the latest state matter most), with a note saying so — a long
// thread is never a reason to fail.
import { clip, humanMessages, namesById, readableText, THREAD_LABELS } from './thread-text'
import type { AnalysisInput } from './types'

/** ~12k tokens of thread: room for real discussions, cheap enough to run on every mention. */
export const DEFAULT_PROMPT_BUDGET = 48_000
/** One message never takes more than this, so a pasted log cannot crowd out the discussion. */
const MESSAGE_CAP = 6_000

export const ANALYSIS_INSTRUCTIONS = `You read a discussion thread (from Slack, Figma, or pasted by a user) and extract its work items for a task tracker.
Answer with JSON that matches the schema:
- summary: 2 to 4 plain sentences: what the thread is about, what was decided, what is still open.
- actionItems: one short line per task, in the same order as tasks.
- tasks: one per explicit ask, request or commitment in the thread.
  - title: imperative, at most 80 characters, in the thread's language ("Fix the checkout button on iOS").
  - description: 1 to 3 sentences of context taken from the thread.
  - priority: "urgent" when the thread says urgent, ASAP or critical; "high" for blockers or "important"; "low" for nice-to-haves or "no rush"; otherwise "medium".
  - assignee: the person the thread names for the task; when they are one of the People listed, their name exactly as listed there; null when nobody is named.
  - dueDate: an ISO date (YYYY-MM-DD) only when the thread states a calendar date; otherwise null.
Rules: never invent work. Questions, opinions, status updates and decisions are not tasks; a thread without asks has "tasks": [].
Requests to Discubot itself (summarize this, create tasks) are not tasks. Merge repeated asks into one task.`

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [message truncated]`
}

/** The thread as numbered lines, fitted to `budget` characters. */
export function renderThread(input: AnalysisInput, budget = DEFAULT_PROMPT_BUDGET): string {
  const names = namesById(input.thread)
  // Line breaks carry structure (checklists, "Action items:" lists): keep them, indented under the header.
  const lines = humanMessages(input.thread).map((m, i) =>
    `[${i + 1}] ${m.author || 'unknown'} (${m.timestamp}): ${truncate(readableText(m.text, names).trim(), MESSAGE_CAP).replace(/\n/g, '\n    ')}`)
  const total = lines.reduce((n, l) => n + l.length + 1, 0)
  if (total <= budget || lines.length <= 2) return lines.join('\n')

  // Keep the first message, then as many of the latest as fit.
  const [first, ...rest] = lines as [string, ...string[]]
  let room = budget - first.length - 200
  const tail: string[] = []
  for (let i = rest.length - 1; i >= 0 && room - rest[i]!.length - 1 >= 0; i--) {
    tail.unshift(rest[i]!)
    room -= rest[i]!.length + 1
  }
  const omitted = rest.length - tail.length
  return [first, `[… ${omitted} message${omitted === 1 ? '' : 's'} in the middle of the thread omitted to fit the length limit …]`, ...tail].join('\n')
}

/** Who took part, by name, so an assignee can be written the way Discubot finds the person again. */
function peopleLine(input: AnalysisInput): string | null {
  const names = [...new Set([...humanMessages(input.thread).map(m => m.author), ...(input.thread.people ?? []).filter(p => !p.isBot).map(p => p.name)])].filter(Boolean)
  return names.length ? `People: ${clip(names.join(', '), 2000)}` : null
}

export function buildPrompt(input: AnalysisInput, budget = DEFAULT_PROMPT_BUDGET): string {
  const header = [
    `Source: ${THREAD_LABELS[input.sourceType]}`,
    `Title: ${clip(input.title, 300)}`,
    input.sourceUrl ? `Link: ${input.sourceUrl}` : null,
    peopleLine(input),
  ].filter(Boolean).join('\n')
  return `${header}\n\nMessages (oldest first):\n${renderThread(input, budget)}`
}
