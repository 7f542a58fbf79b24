// Every analyzer's result passes through here before the pipeline stores it: text clipped to the
// schema's limits (a long description is no reason to fail a job), tasks deduplicated by the same
// normalized title the task idempotency key uses, and the result checked against `analysisSchema`.
import { z } from 'zod'
import { TASK_PRIORITIES, type TaskPriority } from '../../shared/domain'
import { analysisSchema, type Analysis, type DetectedTask } from '../../shared/schemas'
import { clip } from './thread-text'

const LIMITS = { summary: 4000, actionItem: 1000, actionItems: 100, tasks: 50, title: 300, description: 4000, assignee: 200, dueDate: 40 }

/** Same normalization as the pipeline's task key, so two tasks here never share one Notion page. */
export function titleKey(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

const RANK: Record<TaskPriority, number> = Object.fromEntries(TASK_PRIORITIES.map((p, i) => [p, i])) as Record<TaskPriority, number>

/** A model's output, before validation: tolerant of the small slips that are safe to fix. */
const looseTaskSchema = z.object({
  title: z.string(),
  description: z.string().nullish(),
  priority: z.string().nullish(),
  assignee: z.string().nullish(),
  dueDate: z.string().nullish(),
})
const looseAnalysisSchema = z.object({
  summary: z.string(),
  actionItems: z.array(z.string()).nullish(),
  tasks: z.array(looseTaskSchema).nullish(),
})

const PRIORITY_ALIASES: Record<string, TaskPriority> = { critical: 'urgent', blocker: 'urgent', normal: 'medium' }

function priorityOf(value: string | null | undefined): TaskPriority {
  const lower = value?.toLowerCase().trim() ?? ''
  return TASK_PRIORITIES.find(p => p === lower) ?? PRIORITY_ALIASES[lower] ?? 'medium'
}

function nullIfBlank(value: string | null | undefined, max: number): string | null {
  const trimmed = value?.trim()
  if (!trimmed || /^(null|none|n\/a|unassigned|unknown)$/i.test(trimmed)) return null
  return clip(trimmed, max)
}

export function dedupeTasks(tasks: DetectedTask[]): DetectedTask[] {
  const byKey = new Map<string, DetectedTask>()
  for (const task of tasks) {
    const key = titleKey(task.title)
    const seen = byKey.get(key)
    if (!seen) {
      byKey.set(key, { ...task })
      continue
    }
    // The same ask twice: keep the first wording, and whatever the repeats add.
    seen.assignee ??= task.assignee
    seen.dueDate ??= task.dueDate
    if (RANK[task.priority] > RANK[seen.priority]) seen.priority = task.priority
    if (!seen.description && task.description) seen.description = task.description
  }
  return [...byKey.values()]
}

/** zod's explanation on one line: "Invalid input: expected string, received undefined → at summary; …". */
function issues(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\n\s*→/g, ' →').split('\n').map(line => line.replace(/^\s*✖\s*/, '').trim()).filter(Boolean).join('; ')
}

/**
 * Clips, cleans and dedupes an analysis-shaped value, then validates it against `analysisSchema`.
 * Returns zod's issues when the value's structure is wrong (that is what the repair prompt shows).
 */
export function normalizeAnalysis(value: unknown): { success: true, value: Analysis } | { success: false, error: Error } {
  const loose = looseAnalysisSchema.safeParse(value)
  if (!loose.success) return { success: false, error: new Error(issues(loose.error)) }
  const tasks = (loose.data.tasks ?? [])
    .map(t => ({
      title: clip(t.title, LIMITS.title),
      description: clip(t.description ?? '', LIMITS.description),
      priority: priorityOf(t.priority),
      assignee: nullIfBlank(t.assignee, LIMITS.assignee),
      dueDate: nullIfBlank(t.dueDate, LIMITS.dueDate),
    }))
    .filter(t => t.title !== '')
  const analysis = {
    summary: clip(loose.data.summary, LIMITS.summary),
    actionItems: (loose.data.actionItems ?? []).map(a => clip(a, LIMITS.actionItem)).filter(Boolean).slice(0, LIMITS.actionItems),
    tasks: dedupeTasks(tasks).slice(0, LIMITS.tasks),
  }
  const strict = analysisSchema.safeParse(analysis)
  return strict.success ? { success: true, value: strict.data } : { success: false, error: new Error(issues(strict.error)) }
}

type JsonSchema = Record<string, unknown>

/**
 * The JSON Schema sent to the model, derived from `analysisSchema`: every property required (an
 * optional one becomes required-and-nullable) and no length limits, which is what strict
 * structured-output modes (OpenAI `strict`, Anthropic `output_config`) accept. The limits are
 * enforced by `normalizeAnalysis` on the way back.
 */
export function analysisWireSchema(): JsonSchema {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip)
    if (!node || typeof node !== 'object') return node
    const out: JsonSchema = {}
    for (const [key, value] of Object.entries(node)) {
      if (['$schema', 'maxLength', 'minLength', 'maxItems', 'minItems'].includes(key)) continue
      out[key] = strip(value)
    }
    if (out.type === 'object' && out.properties && typeof out.properties === 'object') {
      out.required = Object.keys(out.properties)
      out.additionalProperties = false
    }
    return out
  }
  return strip(z.toJSONSchema(analysisSchema, { io: 'input' })) as JsonSchema
}
