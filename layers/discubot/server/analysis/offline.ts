// The analyzer used when no model is configured: deterministic, no network. It finds the thread's
// explicit asks (see action-items.ts) and writes a short factual summary.
import type { Analysis } from '../../shared/schemas'
import { findAsks } from './action-items'
import { normalizeAnalysis } from './normalize'
import { clip, humanMessages, listNames, namesById, readableText, THREAD_LABELS } from './thread-text'
import type { AnalysisInput, Analyzer } from './types'

export function analyzeOffline(input: AnalysisInput): Analysis {
  const messages = humanMessages(input.thread)
  const names = namesById(input.thread)
  const tasks = findAsks(messages, names)

  const participants = [...new Set(messages.map(m => m.author).filter(Boolean))]
  const first = messages[0] ? clip(readableText(messages[0].text, names), 200) : ''
  const count = messages.length
  const parts = [
    `${THREAD_LABELS[input.sourceType]}${input.title ? ` “${clip(input.title, 120)}”` : ''}: ${count} message${count === 1 ? '' : 's'} from ${listNames(participants)}.`,
    first ? `It starts: “${first}”` : '',
  ]

  // Normalizing merges repeated asks; the action items then follow the tasks one to one.
  const normalized = normalizeAnalysis({ summary: parts.filter(Boolean).join(' '), actionItems: [], tasks })
  if (!normalized.success) throw new Error(`Offline analysis produced an invalid result: ${normalized.error.message}`)
  const analysis = normalized.value
  const found = analysis.tasks.length
  analysis.actionItems = analysis.tasks.map(t => [t.title, t.assignee && `(${t.assignee})`, t.dueDate && `due ${t.dueDate}`].filter(Boolean).join(' '))
  analysis.summary = clip(`${analysis.summary} ${found ? `${found} action item${found === 1 ? '' : 's'}: ${analysis.tasks.map(t => t.title).join('; ')}.` : 'No action items were asked for.'}`, 4000)
  return analysis
}

export const offlineAnalyzer: Analyzer = {
  name: 'offline',
  async analyze(input) {
    return analyzeOffline(input)
  },
}
