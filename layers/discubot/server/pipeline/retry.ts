// Retrying a failed discussion creates a NEW job (the failed one is never touched) that starts from
// what the discussion already has: its stored thread and analysis, and the tasks already created.
import { useDb } from '../utils/db'
import { derivedId } from '../utils/derived-id'
import type { DiscubotDiscussion } from '../../collections/discussions/server/database/schema'
import { getDiscubotDiscussion, markDiscussionRetryPending } from '../../collections/discussions/server/database/queries'
import type { DiscubotJob } from '../../collections/jobs/server/database/schema'
import { getDiscubotJobsByIds } from '../../collections/jobs/server/database/queries'
import { enqueueJob } from '../../collections/jobs/server/database/lifecycle'
import type { DiscussionInput } from '../../shared/schemas'
import type { BulkRetryResult } from '../../shared/api'
import { notifyJobQueued } from './wakeup'

export class RetryError extends Error {
  constructor(readonly statusCode: 404 | 422, message: string) {
    super(message)
    this.name = 'RetryError'
  }
}

export interface RetryRequest {
  teamId: string
  discussionId: string
  /** Who asked: a user id, or SYSTEM_USER_ID. */
  userId: string
}

function payloadFromDiscussion(discussion: DiscubotDiscussion): DiscussionInput {
  return {
    sourceType: discussion.sourceType,
    sourceThreadId: discussion.sourceThreadId,
    sourceUrl: discussion.sourceUrl ?? undefined,
    title: discussion.title,
    content: discussion.content,
    authorHandle: discussion.authorHandle,
    thread: discussion.threadRef,
  }
}

/**
 * Two clicks in a row yield one job: the new job's id is derived from the failure being retried
 * (the discussion and the moment it last changed), so a second click that read the same failed
 * state inserts the same id and conflicts, and one that reads later sees the retry under way.
 * One batch, no interactive transaction.
 */
export async function retryDiscussion({ teamId, discussionId, userId }: RetryRequest): Promise<{ jobId: string, created: boolean }> {
  const discussion = await getDiscubotDiscussion(teamId, discussionId)
  if (!discussion) throw new RetryError(404, 'Discussion not found')
  const [lastJob]: (DiscubotJob | undefined)[] = discussion.syncJobId ? await getDiscubotJobsByIds(teamId, [discussion.syncJobId]) : []

  if (discussion.status !== 'failed') {
    const retryUnderWay = lastJob?.metadata.isRetry && (lastJob.status === 'pending' || lastJob.status === 'processing')
    if (retryUnderWay) return { jobId: lastJob.id, created: false }
    throw new RetryError(422, `Only a failed discussion can be retried; this one is ${discussion.status}`)
  }

  const jobId = derivedId('retry', discussion.id, String(discussion.updatedAt.getTime()), lastJob?.id ?? '')
  const now = new Date()
  const [inserted] = await useDb().batch([
    enqueueJob({
      id: jobId,
      teamId,
      sourceConfigId: discussion.sourceConfigId,
      discussionId: discussion.id,
      retryOfJobId: lastJob?.id ?? null,
      payload: lastJob?.payload ?? payloadFromDiscussion(discussion),
      metadata: {
        isRetry: true,
        retriedBy: userId,
        originalDiscussionId: discussion.id,
        ...(lastJob ? { retryOfJobId: lastJob.id } : {}),
        rootJobId: lastJob?.metadata.rootJobId ?? lastJob?.id ?? jobId,
      },
      createdBy: userId,
    }, now),
    markDiscussionRetryPending(teamId, discussion.id, jobId, userId, now),
  ])
  const created = inserted.length === 1
  if (created) notifyJobQueued()
  return { jobId, created }
}

export async function retryDiscussions({ teamId, ids, userId }: { teamId: string, ids: string[], userId: string }): Promise<BulkRetryResult> {
  const results: BulkRetryResult['results'] = []
  for (const id of new Set(ids)) {
    try {
      results.push({ id, ...await retryDiscussion({ teamId, discussionId: id, userId }) })
    }
    catch (error) {
      if (!(error instanceof RetryError)) throw error
      results.push({ id, error: error.message, statusCode: error.statusCode })
    }
  }
  return { results }
}
