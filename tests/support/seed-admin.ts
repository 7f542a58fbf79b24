// Rows the admin shows, as the engine leaves them: a failed discussion whose last job failed at a
// given stage (earlier stages completed, the failing one with its attempt log). Written with the
// layer's queries into any database file, including a running server's (WAL allows it).
import { eq } from 'drizzle-orm'
import type { Db } from '#layers/discubot/server/utils/db'
import { STAGES, type SourceType, type StageName } from '#layers/discubot/shared/domain'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discussionInput, seedDiscussion, seedJob, setCreatedAt } from './seed-rows'

export interface FailedSeed {
  error?: string
  stage?: StageName
  sourceType?: SourceType
  sourceConfigId?: string | null
  title?: string
  /** The discussion's thread reference (defaults to seed-rows' fake workspace T1). */
  thread?: ReturnType<typeof discussionInput>['thread']
  createdAt?: Date
}

export async function seedFailedDiscussion(db: Db, teamId: string, threadId: string, seed: FailedSeed = {}) {
  const stage = seed.stage ?? 'thread_building'
  const error = seed.error ?? `Slack conversations.replies failed: channel_not_found (${threadId})`
  const sourceType = seed.sourceType ?? 'slack'
  const base = discussionInput(sourceType, threadId)
  const input = { ...base, title: seed.title ?? base.title, thread: seed.thread ?? base.thread }
  const createdAt = seed.createdAt ?? new Date()
  const discussion = await seedDiscussion(db, teamId, threadId, {
    sourceType,
    title: input.title,
    threadRef: input.thread,
    status: 'failed',
    error,
    sourceConfigId: seed.sourceConfigId ?? null,
  })
  const job = await seedJob(db, teamId, threadId, {
    sourceType,
    title: input.title,
    payload: input,
    status: 'failed',
    stage,
    discussionId: discussion.id,
    sourceConfigId: seed.sourceConfigId ?? null,
    error,
    errorStack: `PermanentError: ${error}\n    at thread_building`,
    startedAt: createdAt,
    completedAt: new Date(createdAt.getTime() + 1500),
  })
  await db.update(discubotDiscussions).set({ syncJobId: job.id }).where(eq(discubotDiscussions.id, discussion.id))
  if (seed.createdAt) {
    await setCreatedAt(db, 'discussions', discussion.id, createdAt)
    await setCreatedAt(db, 'jobs', job.id, createdAt)
  }
  for (const name of STAGES.slice(0, STAGES.indexOf(stage) + 1)) {
    const failed = name === stage
    await db.insert(discubotJobStages).values({
      teamId,
      jobId: job.id,
      stage: name,
      status: failed ? 'failed' : 'completed',
      attempts: failed ? 2 : 1,
      error: failed ? error : null,
      attemptLog: failed
        ? [
            { attempt: 1, startedAt: createdAt.toISOString(), endedAt: createdAt.toISOString(), error: 'Slack conversations.replies failed: HTTP 503' },
            { attempt: 2, startedAt: createdAt.toISOString(), endedAt: createdAt.toISOString(), error },
          ]
        : [{ attempt: 1, startedAt: createdAt.toISOString(), endedAt: createdAt.toISOString() }],
      startedAt: createdAt,
      completedAt: new Date(createdAt.getTime() + 100),
      durationMs: failed ? null : 100,
      createdBy: 'system',
      updatedBy: 'system',
    })
  }
  return { discussion, job }
}
