import { sqliteTable, text, integer, index, uniqueIndex, primaryKey, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, idColumn, jsonCheck, jsonColumn, timestamp } from '../../../../server/database/columns'
import { DISCUSSION_STATUSES, SOURCE_TYPES } from '../../../../shared/domain'
import { detectedTaskSchema, stringListSchema, threadDataSchema, threadRefSchema } from '../../../../shared/schemas'
import { discubotTeams } from '../../../teams/server/database/schema'
import { discubotConfigs } from '../../../configs/server/database/schema'
import { discubotJobs } from '../../../jobs/server/database/schema'
import { z } from 'zod'

/** One discussion per source thread and team; every job for that thread points at it. */
export const discubotDiscussions = sqliteTable('discubot_discussions', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  sourceType: text('source_type', { enum: SOURCE_TYPES }).notNull(),
  sourceThreadId: text('source_thread_id').notNull(),
  sourceUrl: text('source_url'),
  title: text('title').notNull(),
  content: text('content').notNull(),
  authorHandle: text('author_handle').notNull(),
  status: text('status', { enum: DISCUSSION_STATUSES }).notNull().default('pending'),
  sourceConfigId: text('source_config_id').references(() => discubotConfigs.id, { onDelete: 'set null' }),
  /**
   * The discussion's current job (the one that last worked it, or the retry under way). The name
   * comes from the user's design (design.md); it means "current job", not a sync of anything.
   * Cleanup deleting that job leaves the discussion.
   */
  syncJobId: text('sync_job_id').references((): AnySQLiteColumn => discubotJobs.id, { onDelete: 'set null' }),
  threadRef: jsonColumn('thread_ref', threadRefSchema).notNull(),
  threadData: jsonColumn('thread_data', threadDataSchema),
  aiSummary: text('ai_summary'),
  aiActionItems: jsonColumn('ai_action_items', stringListSchema),
  aiTasks: jsonColumn('ai_tasks', z.array(detectedTaskSchema)),
  /**
   * Ids of our task rows (discubot_tasks.id), not Notion page ids: the name comes from the user's
   * design (design.md). The rows carry the Notion page id and URL.
   */
  notionTaskIds: jsonColumn('notion_task_ids', stringListSchema),
  error: text('error'),
  completedAt: timestamp('completed_at'),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_discussions_source_type_check', t.sourceType, SOURCE_TYPES),
  enumCheck('discubot_discussions_status_check', t.status, DISCUSSION_STATUSES),
  jsonCheck('discubot_discussions_thread_ref_json', t.threadRef),
  jsonCheck('discubot_discussions_thread_data_json', t.threadData),
  jsonCheck('discubot_discussions_ai_action_items_json', t.aiActionItems),
  jsonCheck('discubot_discussions_ai_tasks_json', t.aiTasks),
  jsonCheck('discubot_discussions_notion_task_ids_json', t.notionTaskIds),
  uniqueIndex('discubot_discussions_thread_unique').on(t.teamId, t.sourceType, t.sourceThreadId),
  index('discubot_discussions_team_created_idx').on(t.teamId, t.createdAt),
  index('discubot_discussions_team_status_created_idx').on(t.teamId, t.status, t.createdAt),
  index('discubot_discussions_sync_job_idx').on(t.syncJobId),
  index('discubot_discussions_config_idx').on(t.sourceConfigId),
])

/** Discussions per team and status, kept by triggers (drizzle/0014) for the overview; see discubotJobDailyCounts. */
export const discubotDiscussionCounts = sqliteTable('discubot_discussion_counts', {
  teamId: text('team_id').notNull(),
  status: text('status', { enum: DISCUSSION_STATUSES }).notNull(),
  discussions: integer('discussions').notNull(),
}, t => [primaryKey({ columns: [t.teamId, t.status] })])

export type DiscubotDiscussion = typeof discubotDiscussions.$inferSelect
export type NewDiscubotDiscussion = typeof discubotDiscussions.$inferInsert
