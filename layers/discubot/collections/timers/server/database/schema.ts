import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, idColumn, jsonCheck, jsonColumn, timestamp } from '../../../../server/database/columns'
import { TIMER_CALLBACKS, TIMER_KINDS, TIMER_STATUSES } from '../../../../shared/domain'
import { timerParamsSchema } from '../../../../shared/schemas'
import { discubotTeams } from '../../../teams/server/database/schema'
import { z } from 'zod'

/**
 * Scheduled work as rows, so a restart keeps it: a recurring timer (the cleanup schedule) or a
 * one-off. Any instance may fire a due timer; the lease makes it fire once across the fleet.
 */
export const discubotTimers = sqliteTable('discubot_timers', {
  id: idColumn(),
  /** A unique name for singleton schedules ("cleanup"). */
  name: text('name').notNull(),
  teamId: text('team_id').references(() => discubotTeams.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: TIMER_KINDS }).notNull(),
  callback: text('callback', { enum: TIMER_CALLBACKS }).notNull(),
  params: jsonColumn('params', timerParamsSchema).notNull().$defaultFn(() => ({})),
  intervalMs: integer('interval_ms'),
  /** A wall-clock schedule (cron, in `timezone`): every instance computes the same next run from it. */
  cron: text('cron'),
  timezone: text('timezone'),
  status: text('status', { enum: TIMER_STATUSES }).notNull().default('active'),
  nextRunAt: timestamp('next_run_at').notNull(),
  lockedBy: text('locked_by'),
  lockedUntil: timestamp('locked_until'),
  lastRunAt: timestamp('last_run_at'),
  lastResult: jsonColumn('last_result', z.json()),
  lastError: text('last_error'),
  runCount: integer('run_count').notNull().default(0),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_timers_kind_check', t.kind, TIMER_KINDS),
  enumCheck('discubot_timers_callback_check', t.callback, TIMER_CALLBACKS),
  enumCheck('discubot_timers_status_check', t.status, TIMER_STATUSES),
  jsonCheck('discubot_timers_params_json', t.params),
  jsonCheck('discubot_timers_last_result_json', t.lastResult),
  uniqueIndex('discubot_timers_name_unique').on(t.name),
  index('discubot_timers_due_idx').on(t.status, t.nextRunAt),
])

export type DiscubotTimer = typeof discubotTimers.$inferSelect
