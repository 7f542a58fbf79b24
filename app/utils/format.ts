// How the admin writes times, durations and the pipeline's vocabulary.
import type { StageName } from '#layers/discubot/shared/domain'

type DateLike = string | number | Date | null | undefined

function toDate(value: DateLike): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

export function formatDateTime(value: DateLike): string {
  const date = toDate(value)
  return date ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—'
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`
}

/** "3 min ago" / "in 20 s": relative to `now`, so a polling page keeps it current. */
export function formatRelative(value: DateLike, now = Date.now()): string {
  const date = toDate(value)
  if (!date) return '—'
  const diff = date.getTime() - now
  const text = formatDuration(Math.abs(diff)).replace(/ \d+ (s|min|h)$/, '')
  if (Math.abs(diff) < 1000) return 'just now'
  return diff < 0 ? `${text} ago` : `in ${text}`
}

export function durationBetween(start: DateLike, end: DateLike): number | null {
  const a = toDate(start)
  const b = toDate(end)
  return a && b ? b.getTime() - a.getTime() : null
}

const STAGE_LABELS: Record<StageName, string> = {
  ingestion: 'Ingestion',
  config_loading: 'Config loading',
  thread_building: 'Thread building',
  ai_analysis: 'AI analysis',
  task_creation: 'Task creation',
  notification: 'Notification',
}

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage as StageName] ?? stage
}

export function sourceLabel(source: string): string {
  return source === 'slack' ? 'Slack' : source === 'figma' ? 'Figma' : source
}

export function sourceIcon(source: string): string {
  return source === 'figma' ? 'i-lucide-figma' : 'i-lucide-slack'
}

export function capitalize(value: string): string {
  return value ? value[0]!.toUpperCase() + value.slice(1).replaceAll('_', ' ') : value
}
