// Small row factories for the data-layer tests: each goes through the real create query, so a
// test that seeds rows also exercises the code that writes them in production.
import { eq } from 'drizzle-orm'
import type { Db } from '#layers/discubot/server/utils/db'
import { createDiscubotTeam } from '#layers/discubot/collections/teams/server/database/queries'
import { createDiscubotDiscussion, type CreateDiscussionInput } from '#layers/discubot/collections/discussions/server/database/queries'
import { createDiscubotJob, type CreateJobInput } from '#layers/discubot/collections/jobs/server/database/queries'
import { createDiscubotTask, type CreateTaskInput } from '#layers/discubot/collections/tasks/server/database/queries'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import type { DiscussionInput } from '#layers/discubot/shared/schemas'
import type { SourceType, StageName } from '#layers/discubot/shared/domain'

export async function seedTeam(db: Db, slug: string) {
  return createDiscubotTeam({ name: `Team ${slug}`, slug })
}

/** A normalized discussion of either source; `thread` is the source's own thread reference. */
export function discussionInput(sourceType: SourceType, threadId: string, overrides: Partial<DiscussionInput> = {}): DiscussionInput {
  const thread: DiscussionInput['thread'] = sourceType === 'slack'
    ? { kind: 'slack', workspaceId: 'T1', channel: 'C1', threadTs: threadId, messageTs: threadId }
    : { kind: 'figma', fileKey: 'FILE1', rootCommentId: threadId, commentId: threadId }
  return {
    sourceType,
    sourceThreadId: `${sourceType}:${threadId}`,
    title: `Thread ${threadId}`,
    content: `Please look at ${threadId}`,
    authorHandle: 'dana',
    thread,
    ...overrides,
  }
}

export async function seedDiscussion(db: Db, teamId: string, threadId: string, overrides: Partial<CreateDiscussionInput> = {}) {
  const sourceType = overrides.sourceType ?? 'slack'
  const input = discussionInput(sourceType, threadId)
  return createDiscubotDiscussion({
    teamId,
    sourceType,
    sourceThreadId: input.sourceThreadId,
    title: input.title,
    content: input.content,
    authorHandle: input.authorHandle,
    threadRef: input.thread,
    ...overrides,
  })
}

export async function seedJob(db: Db, teamId: string, threadId: string, overrides: Partial<CreateJobInput> & { title?: string } = {}) {
  const { title, ...rest } = overrides
  const sourceType = rest.sourceType ?? 'slack'
  const payload = discussionInput(sourceType, threadId, title === undefined ? {} : { title })
  return createDiscubotJob({
    teamId,
    sourceType,
    threadKey: `${teamId}:${sourceType}:${payload.sourceThreadId}`,
    payload,
    ...rest,
  })
}

export async function seedTask(db: Db, teamId: string, discussionId: string, index: number, overrides: Partial<CreateTaskInput> = {}) {
  return createDiscubotTask({
    teamId,
    discussionId,
    idempotencyKey: `${discussionId}:${index}:${overrides.title ?? ''}`,
    title: `Task ${index}`,
    taskIndex: index,
    ...overrides,
  })
}

export async function seedStage(db: Db, teamId: string, jobId: string, stage: StageName) {
  const [row] = await db.insert(discubotJobStages)
    .values({ teamId, jobId, stage, status: 'completed', attempts: 1, output: { ok: true }, createdBy: 'system', updatedBy: 'system' })
    .returning()
  return row!
}

/** The create queries stamp `createdAt = now`; lists are ordered and filtered by it, so tests pin it. */
export async function setCreatedAt(db: Db, table: 'jobs' | 'discussions' | 'tasks', id: string, createdAt: Date) {
  if (table === 'jobs') await db.update(discubotJobs).set({ createdAt }).where(eq(discubotJobs.id, id))
  else if (table === 'discussions') await db.update(discubotDiscussions).set({ createdAt }).where(eq(discubotDiscussions.id, id))
  else await db.update(discubotTasks).set({ createdAt }).where(eq(discubotTasks.id, id))
}

/** A fixed instant plus `minutes`, so date filters and orderings do not depend on the clock. */
export const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes))
