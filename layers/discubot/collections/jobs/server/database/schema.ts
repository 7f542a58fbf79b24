import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, idColumn, jsonCheck, jsonColumn, timestamp } from '../../../../server/database/columns'
import { JOB_STATUSES, SOURCE_TYPES, STAGES, STAGE_STATUSES } from '../../../../shared/domain'
import { discussionInputSchema, jobMetadataSchema, stageAttemptsSchema, stageMessagesSchema, stageOutputSchema } from '../../../../shared/schemas'
import { discubotTeams } from '../../../teams/server/database/schema'
import { discubotConfigs } from '../../../configs/server/database/schema'
import { discubotDiscussions } from '../../../discussions/server/database/schema'

/**
 * One run of the pipeline for one discussion. The row is also the queue entry: workers claim it
 * with a lease (`lockedBy`, `lockedUntil`, `leaseToken`) and a delayed retry is just a later `runAt`.
 */
export const discubotJobs = sqliteTable('discubot_jobs', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  sourceType: text('source_type', { enum: SOURCE_TYPES }).notNull(),
  status: text('status', { enum: JOB_STATUSES }).notNull().default('pending'),
  stage: text('stage', { enum: STAGES }).notNull().default('ingestion'),
  discussionId: text('discussion_id').references((): AnySQLiteColumn => discubotDiscussions.id, { onDelete: 'set null' }),
  sourceConfigId: text('source_config_id').references(() => discubotConfigs.id, { onDelete: 'set null' }),
  /** `teamId:sourceType:sourceThreadId`: jobs of one thread run one at a time. */
  threadKey: text('thread_key').notNull(),
  /** The normalized discussion the webhook delivered (or the retry rebuilt). */
  payload: jsonColumn('payload', discussionInputSchema).notNull(),
  runAt: timestamp('run_at').notNull(),
  lockedBy: text('locked_by'),
  lockedUntil: timestamp('locked_until'),
  /** Fencing token of the current lease; every worker write checks it. */
  leaseToken: text('lease_token'),
  /** The failed job this one retries; unique so a double click makes one retry. */
  retryOfJobId: text('retry_of_job_id').references((): AnySQLiteColumn => discubotJobs.id, { onDelete: 'set null' }),
  error: text('error'),
  errorStack: text('error_stack'),
  metadata: jsonColumn('metadata', jobMetadataSchema).notNull().$defaultFn(() => ({})),
  startedAt: timestamp('started_at'),
  completedAt: timestamp('completed_at'),
  /** A failed job someone set aside: kept for audit, out of the Failed view and counts, not retryable. */
  discardedAt: timestamp('discarded_at'),
  discardedBy: text('discarded_by'),
  /** Cancel asked while a worker held the job: the runner stops it before its next stage. */
  cancelRequestedAt: timestamp('cancel_requested_at'),
  cancelRequestedBy: text('cancel_requested_by'),
  /**
   * On a failed job: whether its discussion is failed too, so "retry all matching" counts the
   * retryable discussions from the index below without joining discussions. Kept by triggers
   * (drizzle/0014) on both tables; meaningless on other jobs, and never shown by the API.
   */
  discussionFailed: integer('discussion_failed', { mode: 'boolean' }).notNull().default(false),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_jobs_source_type_check', t.sourceType, SOURCE_TYPES),
  enumCheck('discubot_jobs_status_check', t.status, JOB_STATUSES),
  enumCheck('discubot_jobs_stage_check', t.stage, STAGES),
  jsonCheck('discubot_jobs_payload_json', t.payload),
  jsonCheck('discubot_jobs_metadata_json', t.metadata),
  index('discubot_jobs_claim_idx').on(t.status, t.runAt),
  index('discubot_jobs_lease_idx').on(t.status, t.lockedUntil),
  index('discubot_jobs_thread_idx').on(t.threadKey, t.status),
  index('discubot_jobs_cleanup_idx').on(t.status, t.completedAt),
  index('discubot_jobs_team_created_idx').on(t.teamId, t.createdAt),
  index('discubot_jobs_team_status_created_idx').on(t.teamId, t.status, t.createdAt),
  index('discubot_jobs_team_stage_created_idx').on(t.teamId, t.stage, t.createdAt),
  index('discubot_jobs_discussion_idx').on(t.discussionId, t.createdAt),
  index('discubot_jobs_config_idx').on(t.sourceConfigId),
  uniqueIndex('discubot_jobs_retry_of_unique').on(t.retryOfJobId),
  // "Retry all matching": the failed, kept jobs of still-failed discussions, by discussion. Partial,
  // so it costs a write only when a job fails; queries must spell the terms as literals to use it.
  // The columns of its WHERE are in it too, or SQLite reads every row to re-check them (covering).
  index('discubot_jobs_retryable_idx').on(t.teamId, t.discussionId, t.status, t.discardedAt, t.discussionFailed)
    .where(sql`${t.status} = 'failed' AND ${t.discardedAt} IS NULL AND ${t.discussionFailed} = 1 AND ${t.discussionId} IS NOT NULL`),
])

/** One row per job and stage: the timeline the admin draws, and the stage's checkpoint. */
export const discubotJobStages = sqliteTable('discubot_job_stages', {
  id: idColumn(),
  jobId: text('job_id').notNull().references(() => discubotJobs.id, { onDelete: 'cascade' }),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  stage: text('stage', { enum: STAGES }).notNull(),
  status: text('status', { enum: STAGE_STATUSES }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  output: jsonColumn('output', stageOutputSchema),
  error: text('error'),
  attemptLog: jsonColumn('attempt_log', stageAttemptsSchema).notNull().$defaultFn(() => []),
  /** Lease token and worker of the last attempt: shows that one worker at a time ran the stage. */
  leaseToken: text('lease_token'),
  workerId: text('worker_id'),
  startedAt: timestamp('started_at'),
  completedAt: timestamp('completed_at'),
  durationMs: integer('duration_ms'),
  /**
   * Live progress of the running attempt (0–1) and its last few messages, for the timeline. The
   * JSON column validates every write; no CHECK, so adding the column needs no table rebuild.
   */
  progress: real('progress'),
  messages: jsonColumn('messages', stageMessagesSchema),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_job_stages_stage_check', t.stage, STAGES),
  enumCheck('discubot_job_stages_status_check', t.status, STAGE_STATUSES),
  jsonCheck('discubot_job_stages_output_json', t.output),
  jsonCheck('discubot_job_stages_attempt_log_json', t.attemptLog),
  uniqueIndex('discubot_job_stages_job_stage_unique').on(t.jobId, t.stage),
  // The overview's per-stage timings of a team. Not led by team_id: the planner would then prefer
  // it over the (job_id, stage) index for a job's own stage rows (tests/integration/query-plans).
  index('discubot_job_stages_status_team_completed_idx').on(t.status, t.teamId, t.completedAt),
])

// ---------------------------------------------------------------- roll-ups for the overview
// Derived rows, kept exact by SQLite triggers (drizzle/0014) in the same transaction as every
// change to a job or stage row, whichever code path makes it (claim, retry, discard, cancel,
// cleanup, seeders). No audit columns or foreign keys: nobody writes them but the triggers, and a
// team's rows fall to zero with its jobs. runCleanup prunes the rows that reached zero.

/** Jobs per team, UTC day of creation (days since the epoch), source, status and discarded or not. */
export const discubotJobDailyCounts = sqliteTable('discubot_job_daily_counts', {
  teamId: text('team_id').notNull(),
  day: integer('day').notNull(),
  sourceType: text('source_type', { enum: SOURCE_TYPES }).notNull(),
  status: text('status', { enum: JOB_STATUSES }).notNull(),
  discarded: integer('discarded', { mode: 'boolean' }).notNull(),
  jobs: integer('jobs').notNull(),
}, t => [primaryKey({ columns: [t.teamId, t.day, t.sourceType, t.status, t.discarded] })])

/**
 * Completed stage runs per team, hour of completion (hours since the epoch) and stage: runs, runs
 * with a duration, their sum and max. A max cannot be taken back when its row goes, so the row is
 * then marked `maxStale` and readers recompute that hour's max from the stage rows.
 */
export const discubotJobStageHourly = sqliteTable('discubot_job_stage_hourly', {
  teamId: text('team_id').notNull(),
  hour: integer('hour').notNull(),
  stage: text('stage', { enum: STAGES }).notNull(),
  runs: integer('runs').notNull(),
  timedRuns: integer('timed_runs').notNull(),
  totalMs: integer('total_ms').notNull(),
  maxMs: integer('max_ms'),
  maxStale: integer('max_stale', { mode: 'boolean' }).notNull().default(false),
}, t => [primaryKey({ columns: [t.teamId, t.hour, t.stage] })])

export type DiscubotJob = typeof discubotJobs.$inferSelect
export type NewDiscubotJob = typeof discubotJobs.$inferInsert
export type DiscubotJobStage = typeof discubotJobStages.$inferSelect
