import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, idColumn, nullableEnumCheck } from '../../../../server/database/columns'
import { TASK_PRIORITIES, TASK_STATUSES } from '../../../../shared/domain'
import { discubotTeams } from '../../../teams/server/database/schema'
import { discubotDiscussions } from '../../../discussions/server/database/schema'
import { discubotJobs } from '../../../jobs/server/database/schema'

/**
 * A detected task. The row is written as an intent (`pending`) before the sink is called, keyed by
 * `idempotencyKey` (discussion + task, never the job), so no page is ever created twice.
 */
export const discubotTasks = sqliteTable('discubot_tasks', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  discussionId: text('discussion_id').notNull().references(() => discubotDiscussions.id, { onDelete: 'cascade' }),
  /** The job that created the task; cleanup of old jobs keeps the task. */
  jobId: text('job_id').references(() => discubotJobs.id, { onDelete: 'set null' }),
  idempotencyKey: text('idempotency_key').notNull(),
  notionPageId: text('notion_page_id'),
  notionPageUrl: text('notion_page_url'),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  status: text('status', { enum: TASK_STATUSES }).notNull().default('pending'),
  priority: text('priority', { enum: TASK_PRIORITIES }),
  assignee: text('assignee'),
  dueDate: text('due_date'),
  summary: text('summary'),
  sourceUrl: text('source_url'),
  isMultiTaskChild: integer('is_multi_task_child', { mode: 'boolean' }).notNull().default(false),
  taskIndex: integer('task_index').notNull().default(0),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_tasks_status_check', t.status, TASK_STATUSES),
  nullableEnumCheck('discubot_tasks_priority_check', t.priority, TASK_PRIORITIES),
  uniqueIndex('discubot_tasks_idempotency_unique').on(t.idempotencyKey),
  index('discubot_tasks_team_created_idx').on(t.teamId, t.createdAt),
  index('discubot_tasks_discussion_idx').on(t.discussionId, t.taskIndex),
  index('discubot_tasks_job_idx').on(t.jobId),
])

/** Tasks per team, kept by triggers (drizzle/0014) for the overview; see discubotJobDailyCounts. */
export const discubotTaskCounts = sqliteTable('discubot_task_counts', {
  teamId: text('team_id').primaryKey(),
  tasks: integer('tasks').notNull(),
})

export type DiscubotTask = typeof discubotTasks.$inferSelect
export type NewDiscubotTask = typeof discubotTasks.$inferInsert
