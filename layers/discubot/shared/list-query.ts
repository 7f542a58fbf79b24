// Query-string contract of the admin list APIs (`GET /api/jobs`, `/api/discussions`, `/api/tasks`):
// parsed with zod at the edge, handed to the paged list queries as is.
import { z } from 'zod'
import { DISCUSSION_STATUSES, JOB_STATUSES, NOTION_MATCHES, PEOPLE_SOURCES, SOURCE_TYPES, STAGES, TASK_STATUSES, WEBHOOK_EVENT_STATUSES, WEBHOOK_SOURCE_TYPES } from './domain'

const dateParam = z.coerce.date().refine(d => !Number.isNaN(d.getTime()), 'Invalid date')

export const pagingSchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  order: z.enum(['asc', 'desc']).default('desc'),
  q: z.string().trim().max(200).optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
})

export const jobListQuerySchema = pagingSchema.extend({
  status: z.enum(JOB_STATUSES).optional(),
  stage: z.enum(STAGES).optional(),
  sourceType: z.enum(SOURCE_TYPES).optional(),
  discussionId: z.string().max(64).optional(),
  /** Discarded failed jobs leave every view but their own (`true`). */
  discarded: z.stringbool().optional(),
  sort: z.enum(['createdAt', 'completedAt', 'updatedAt']).default('createdAt'),
})
export type JobListQuery = z.infer<typeof jobListQuerySchema>

export const discussionListQuerySchema = pagingSchema.extend({
  status: z.enum(DISCUSSION_STATUSES).optional(),
  sourceType: z.enum(SOURCE_TYPES).optional(),
  sort: z.enum(['createdAt', 'updatedAt', 'completedAt']).default('createdAt'),
})
export type DiscussionListQuery = z.infer<typeof discussionListQuerySchema>

export const taskListQuerySchema = pagingSchema.extend({
  status: z.enum(TASK_STATUSES).optional(),
  discussionId: z.string().max(64).optional(),
  sort: z.enum(['createdAt', 'updatedAt']).default('createdAt'),
})
export type TaskListQuery = z.infer<typeof taskListQuerySchema>

/** `GET /api/deliveries`: the webhook inbox by source, outcome and time (`q` searches event ids and reasons). */
export const deliveryListQuerySchema = pagingSchema.extend({
  source: z.enum(WEBHOOK_SOURCE_TYPES).optional(),
  outcome: z.enum(WEBHOOK_EVENT_STATUSES).optional(),
})
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>

/** The People page: by how a person's Notion match was made, `suggested` (a same-name person to confirm) or `none`. */
export const PEOPLE_MATCH_FILTERS = [...NOTION_MATCHES, 'suggested', 'none'] as const

export const peopleListQuerySchema = pagingSchema.extend({
  source: z.enum(PEOPLE_SOURCES).optional(),
  match: z.enum(PEOPLE_MATCH_FILTERS).optional(),
  sort: z.enum(['name', 'createdAt']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
})
export type PeopleListQuery = z.infer<typeof peopleListQuerySchema>

export interface Page<T> {
  items: T[]
  total: number
  page: number
  pageSize: number
}
