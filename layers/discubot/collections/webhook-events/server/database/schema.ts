import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { enumCheck, idColumn, timestamp } from '../../../../server/database/columns'
import { WEBHOOK_EVENT_STATUSES, WEBHOOK_SOURCE_TYPES } from '../../../../shared/domain'
import { discubotTeams } from '../../../teams/server/database/schema'
import { discubotJobs } from '../../../jobs/server/database/schema'

/**
 * The webhook inbox: every delivery and its outcome. An accepted delivery's row is unique on
 * (source, eventId) so a re-delivery finds its first copy and creates nothing; the other outcomes
 * carry keys of their own (`<outcome>:…`, see queries.ts) and count their repeats in
 * `redeliveries`. `teamId` is null when no team can be named (unknown workspace, a bad signature).
 */
export const discubotWebhookEvents = sqliteTable('discubot_webhook_events', {
  id: idColumn(),
  teamId: text('team_id').references(() => discubotTeams.id, { onDelete: 'cascade' }),
  source: text('source', { enum: WEBHOOK_SOURCE_TYPES }).notNull(),
  eventId: text('event_id').notNull(),
  status: text('status', { enum: WEBHOOK_EVENT_STATUSES }).notNull(),
  /** Why it was recorded without a job: the ignore reason, the unknown workspace, the refusal. */
  detail: text('detail'),
  jobId: text('job_id').references(() => discubotJobs.id, { onDelete: 'set null' }),
  redeliveries: integer('redeliveries').notNull().default(0),
  receivedAt: timestamp('received_at').notNull().$defaultFn(() => new Date()),
  createdBy: text('created_by').notNull(),
  updatedBy: text('updated_by').notNull(),
  createdAt: timestamp('created_at').notNull().$defaultFn(() => new Date()),
  updatedAt: timestamp('updated_at').notNull().$defaultFn(() => new Date()).$onUpdateFn(() => new Date()),
}, t => [
  enumCheck('discubot_webhook_events_source_check', t.source, WEBHOOK_SOURCE_TYPES),
  enumCheck('discubot_webhook_events_status_check', t.status, WEBHOOK_EVENT_STATUSES),
  uniqueIndex('discubot_webhook_events_source_event_unique').on(t.source, t.eventId),
  index('discubot_webhook_events_job_idx').on(t.jobId),
  index('discubot_webhook_events_team_received_idx').on(t.teamId, t.receivedAt),
  index('discubot_webhook_events_team_status_received_idx').on(t.teamId, t.status, t.receivedAt),
  // The cleanup prunes by age across teams.
  index('discubot_webhook_events_received_idx').on(t.receivedAt),
])

export type DiscubotWebhookEvent = typeof discubotWebhookEvents.$inferSelect
