// The select filters of the list pages: each is "All" or one value of a list query key.
import { SOURCE_TYPES, STAGES, WEBHOOK_EVENT_STATUSES } from '#layers/discubot/shared/domain'

export interface ListFilter<K extends string = string> {
  key: K
  /** Plural: "All stages", "Filter by stages". */
  label: string
  options: readonly { label: string, value: string }[]
}

export const stageFilter: ListFilter<'stage'> = { key: 'stage', label: 'Stages', options: STAGES.map(stage => ({ label: stageLabel(stage), value: stage })) }

export const sourceFilter: ListFilter<'sourceType'> = { key: 'sourceType', label: 'Sources', options: SOURCE_TYPES.map(source => ({ label: sourceLabel(source), value: source })) }

export function statusFilter(statuses: readonly string[]): ListFilter<'status'> {
  return { key: 'status', label: 'Statuses', options: statuses.map(status => ({ label: capitalize(status), value: status })) }
}

/** The Deliveries page names its source filter `source`, as GET /api/deliveries does. */
export const deliverySourceFilter: ListFilter<'source'> = { ...sourceFilter, key: 'source' }

export const outcomeFilter: ListFilter<'outcome'> = { key: 'outcome', label: 'Outcomes', options: WEBHOOK_EVENT_STATUSES.map(outcome => ({ label: statusLabel(outcome), value: outcome })) }
