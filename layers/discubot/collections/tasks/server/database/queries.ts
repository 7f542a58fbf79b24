import { and, asc, count, eq, inArray } from 'drizzle-orm'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { containsText, dateRange, inTeam, offsetOf, ordering } from '../../../../server/database/query-helpers'
import type { Page, TaskListQuery } from '../../../../shared/list-query'
import { discubotTaskCounts, discubotTasks, type DiscubotTask, type NewDiscubotTask } from './schema'

export type CreateTaskInput = Omit<NewDiscubotTask, 'id' | 'createdBy' | 'updatedBy' | 'createdAt' | 'updatedAt'> & { createdBy?: string }
export type TaskPatch = Partial<Omit<NewDiscubotTask, 'id' | 'teamId' | 'idempotencyKey' | 'createdBy' | 'createdAt' | 'updatedAt'>>

export async function createDiscubotTask(input: CreateTaskInput): Promise<DiscubotTask> {
  const by = input.createdBy ?? SYSTEM_USER_ID
  const [row] = await useDb().insert(discubotTasks).values({ ...input, createdBy: by, updatedBy: by }).returning()
  return row!
}

export async function updateDiscubotTask(teamId: string, id: string, patch: TaskPatch, userId: string = SYSTEM_USER_ID): Promise<DiscubotTask | undefined> {
  const [row] = await useDb().update(discubotTasks)
    .set({ ...patch, updatedBy: userId, updatedAt: new Date() })
    .where(and(eq(discubotTasks.teamId, teamId), eq(discubotTasks.id, id)))
    .returning()
  return row
}

export async function getDiscubotTasksByIds(teamId: string, ids: string[]): Promise<DiscubotTask[]> {
  if (ids.length === 0) return []
  return useDb().select().from(discubotTasks).where(and(inTeam(discubotTasks.teamId, teamId), inArray(discubotTasks.id, ids)))
}

/**
 * A detected task as an intent, written before the sink is called. Keyed by `idempotencyKey`
 * (discussion + task, never the job): an intent that already exists is kept as it is.
 */
export function recordTaskIntent(input: Omit<CreateTaskInput, 'status'> & { id: string }): Write {
  const by = input.createdBy ?? SYSTEM_USER_ID
  return useDb().insert(discubotTasks).values({ ...input, status: 'pending', createdBy: by, updatedBy: by })
    .onConflictDoNothing({ target: discubotTasks.idempotencyKey })
}

export async function getDiscubotTaskByIdempotencyKey(teamId: string, idempotencyKey: string): Promise<DiscubotTask | undefined> {
  const [row] = await useDb().select().from(discubotTasks)
    .where(and(eq(discubotTasks.idempotencyKey, idempotencyKey), inTeam(discubotTasks.teamId, teamId)))
  return row
}

/** The sink has the page: the intent is done. */
export function markTaskCreated(teamId: string, id: string, page: { pageId: string | null, url: string }): Write {
  return useDb().update(discubotTasks)
    .set({ status: 'created', notionPageId: page.pageId, notionPageUrl: page.url, updatedBy: SYSTEM_USER_ID, updatedAt: new Date() })
    .where(and(eq(discubotTasks.id, id), inTeam(discubotTasks.teamId, teamId)))
}

/**
 * The job failed for good: its intents whose page was never created end `failed`, not pending
 * forever. A later job that finds such an intent looks the page up and creates it as usual.
 */
export function failUncreatedTasksOfJob(teamId: string, jobId: string, at: Date): Write {
  return useDb().update(discubotTasks)
    .set({ status: 'failed', updatedBy: SYSTEM_USER_ID, updatedAt: at })
    .where(and(eq(discubotTasks.jobId, jobId), inTeam(discubotTasks.teamId, teamId), eq(discubotTasks.status, 'pending')))
}

export async function getDiscubotTasksByDiscussion(teamId: string, discussionId: string): Promise<DiscubotTask[]> {
  return useDb().select().from(discubotTasks)
    .where(and(eq(discubotTasks.teamId, teamId), eq(discubotTasks.discussionId, discussionId)))
    .orderBy(asc(discubotTasks.taskIndex))
}

function listWhere(teamId: string, query: Partial<TaskListQuery>) {
  return and(
    eq(discubotTasks.teamId, teamId),
    query.status ? eq(discubotTasks.status, query.status) : undefined,
    query.discussionId ? eq(discubotTasks.discussionId, query.discussionId) : undefined,
    containsText([discubotTasks.title, discubotTasks.assignee, discubotTasks.description], query.q),
    dateRange(discubotTasks.createdAt, query.from, query.to),
  )
}

export async function listDiscubotTasks(teamId: string, query: TaskListQuery): Promise<Page<DiscubotTask>> {
  const where = listWhere(teamId, query)
  const db = useDb()
  const [items, [total]] = await Promise.all([
    db.select().from(discubotTasks).where(where)
      .orderBy(...ordering(discubotTasks[query.sort], query.order, discubotTasks.id))
      .limit(query.pageSize).offset(offsetOf(query.page, query.pageSize)),
    db.select({ n: count() }).from(discubotTasks).where(where),
  ])
  return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize }
}

export async function countDiscubotTasks(teamId: string): Promise<number> {
  const [row] = await useDb().select({ n: count() }).from(discubotTasks).where(eq(discubotTasks.teamId, teamId))
  return row?.n ?? 0
}

/** The same from the roll-up the triggers of drizzle/0014 keep: the overview's count. */
export async function countDiscubotTasksFromRollup(teamId: string): Promise<number> {
  const [row] = await useDb().select({ n: discubotTaskCounts.tasks }).from(discubotTaskCounts).where(eq(discubotTaskCounts.teamId, teamId))
  return row?.n ?? 0
}
