import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, idColumn, jsonCheck, jsonColumn, timestamp } from '../../../../server/database/columns'
import { OUTBOX_KINDS, OUTBOX_STATUSES } from '../../../../shared/domain'
import { outboxPayloadSchema, outboxResultSchema } from '../../../../shared/outbox'
import { discubotTeams } from '../../../teams/server/database/schema'
import { discubotJobs } from '../../../jobs/server/database/schema'

/**
 * Side effects on the outside world (reactions, failure notes, alerts), written as intents in the
 * same batch as the state change that asks for them and delivered by a leased worker. The unique
 * `dedupeKey` makes a second intent for the same effect the same row.
 */
export const discubotOutbox = sqliteTable('discubot_outbox', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
  /** `reactions:<rootJobId>`, `failure-note:<rootJobId>`, `failed-jobs:<team>:<since>`, … */
  dedupeKey: text('dedupe_key').notNull(),
  status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
  payload: jsonColumn('payload', outboxPayloadSchema).notNull(),
  /** The job whose state change asked for it last (job detail), if any. */
  jobId: text('job_id').references(() => discubotJobs.id, { onDelete: 'set null' }),
  /** Attempts of the current intent (reset when the row is re-armed). */
  attempts: integer('attempts').notNull().default(0),
  runAt: timestamp('run_at').notNull(),
  lockedBy: text('locked_by'),
  lockedUntil: timestamp('locked_until'),
  /** Bumped whenever the intent changes; a worker that delivered an older one does not settle the row. */
  version: integer('version').notNull().default(1),
  lastError: text('last_error'),
  result: jsonColumn('result', outboxResultSchema),
  deliveredAt: timestamp('delivered_at'),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_outbox_kind_check', t.kind, OUTBOX_KINDS),
  enumCheck('discubot_outbox_status_check', t.status, OUTBOX_STATUSES),
  jsonCheck('discubot_outbox_payload_json', t.payload),
  jsonCheck('discubot_outbox_result_json', t.result),
  uniqueIndex('discubot_outbox_dedupe_key_unique').on(t.dedupeKey),
  index('discubot_outbox_due_idx').on(t.status, t.runAt),
  // The Settings page's alert list, and the open failed-jobs window of a team.
  index('discubot_outbox_team_kind_created_idx').on(t.teamId, t.kind, t.createdAt),
  index('discubot_outbox_job_idx').on(t.jobId),
  // The cleanup prunes settled rows by age.
  index('discubot_outbox_status_updated_idx').on(t.status, t.updatedAt),
])

export type DiscubotOutboxItem = typeof discubotOutbox.$inferSelect
