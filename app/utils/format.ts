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
  // Two units at most, and no "0 min" tail.
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) => small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return pair(minutes, 'min', Math.round(seconds % 60), 's')
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? pair(hours, 'h', minutes % 60, 'min') : pair(Math.floor(hours / 24), 'd', hours % 24, 'h')
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

const SOURCE_LOOK: Record<string, { label: string, icon: string }> = {
  slack: { label: 'Slack', icon: 'i-lucide-slack' },
  figma: { label: 'Figma', icon: 'i-lucide-figma' },
  manual: { label: 'Pasted conversation', icon: 'i-lucide-clipboard-paste' },
}

export function sourceLabel(source: string): string {
  return SOURCE_LOOK[source]?.label ?? source
}

export function sourceIcon(source: string): string {
  return SOURCE_LOOK[source]?.icon ?? 'i-lucide-message-square'
}

/** Where "Open in Slack/Figma" goes; a pasted conversation's link is its own discussion page, so none. */
export function outsideSourceUrl(item: { sourceType: string, sourceUrl?: string | null }): string | undefined {
  return item.sourceType === 'manual' ? undefined : item.sourceUrl ?? undefined
}

export function capitalize(value: string): string {
  return value ? value[0]!.toUpperCase() + value.slice(1).replaceAll('_', ' ') : value
}

const OUTCOME_LABELS: Record<string, string> = {
  accepted: 'Accepted',
  duplicate: 'Duplicate',
  ignored: 'Ignored',
  unknown_workspace: 'Unknown workspace',
  rejected: 'Rejected',
}

/** A status (or a webhook delivery's outcome) as the admin writes it. */
export function statusLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? capitalize(outcome)
}
