// Retrying a failed discussion creates a NEW job (the failed one is never touched) that starts from
// what the discussion already has: its stored thread and analysis (unless asked to fetch or analyse
// again), and the tasks already created. A job that failed before its discussion existed
// (ingestion, config_loading) is retried from the delivery it stored.
import { useDb } from '../utils/db'
import { derivedId } from '../utils/derived-id'
import type { DiscubotDiscussion } from '../../collections/discussions/server/database/schema'
import { getDiscubotDiscussion, markDiscussionRetryPending } from '../../collections/discussions/server/database/queries'
import type { DiscubotJob } from '../../collections/jobs/server/database/schema'
import { getDiscubotJobsByIds } from '../../collections/jobs/server/database/queries'
import { getDiscubotJobRetries } from '../../collections/jobs/server/database/admin-queries'
import { enqueueJob } from '../../collections/jobs/server/database/lifecycle'
import type { DiscussionInput } from '../../shared/schemas'
import type { RetryOptions } from '../../shared/admin-input'
import type { BulkRetryResult } from '../../shared/api'
import { JobControlError } from './job-control-error'
import { notifyJobQueued } from './wakeup'

/** A retry refused: 404 (unknown, or another team's), 422 (not failed, or its failure was discarded). */
export class RetryError extends JobControlError {
  constructor(statusCode: 404 | 422, message: string) {
    super(statusCode, message)
    this.name = 'RetryError'
  }
}

export const DISCARDED_MESSAGE = 'Its failed job was discarded; a new mention of the thread starts it again'

export interface RetryRequest {
  teamId: string
  discussionId: string
  /** Who asked: a user id, or SYSTEM_USER_ID. */
  userId: string
  options?: RetryOptions
}

/** What a retry job carries: who asked, what it retries, and what it must not reuse. */
function retryMetadata(userId: string, retried: DiscubotJob | undefined, jobId: string, options: RetryOptions = {}) {
  return {
    isRetry: true,
    retriedBy: userId,
    ...(retried ? { retryOfJobId: retried.id } : {}),
    rootJobId: retried?.metadata.rootJobId ?? retried?.id ?? jobId,
    ...(options.refetchThread ? { refetchThread: true } : {}),
    ...(options.reanalyze ? { reanalyze: true } : {}),
  }
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
export async function retryDiscussion({ teamId, discussionId, userId, options }: RetryRequest): Promise<{ jobId: string, created: boolean }> {
  const discussion = await getDiscubotDiscussion(teamId, discussionId)
  if (!discussion) throw new RetryError(404, 'Discussion not found')
  const [lastJob]: (DiscubotJob | undefined)[] = discussion.syncJobId ? await getDiscubotJobsByIds(teamId, [discussion.syncJobId]) : []

  if (discussion.status !== 'failed') {
    const retryUnderWay = lastJob?.metadata.isRetry && (lastJob.status === 'pending' || lastJob.status === 'processing')
    if (retryUnderWay) return { jobId: lastJob.id, created: false }
    throw new RetryError(422, `Only a failed discussion can be retried; this one is ${discussion.status}`)
  }
  if (lastJob?.discardedAt) throw new RetryError(422, DISCARDED_MESSAGE)

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
      metadata: { ...retryMetadata(userId, lastJob, jobId, options), originalDiscussionId: discussion.id },
      createdBy: userId,
    }, now),
    markDiscussionRetryPending(teamId, discussion.id, jobId, userId, now),
  ])
  const created = inserted.length === 1
  if (created) notifyJobQueued()
  return { jobId, created }
}

export async function retryDiscussions({ teamId, ids, userId, options }: { teamId: string, ids: string[], userId: string, options?: RetryOptions }): Promise<BulkRetryResult> {
  const results: BulkRetryResult['results'] = []
  for (const id of new Set(ids)) {
    try {
      results.push({ id, ...await retryDiscussion({ teamId, discussionId: id, userId, options }) })
    }
    catch (error) {
      if (!(error instanceof RetryError)) throw error
      results.push({ id, error: error.message, statusCode: error.statusCode })
    }
  }
  return { results }
}

/**
 * Retries one failed job: through its discussion when it has one, else (it failed at ingestion or
 * config_loading) as a new job from the delivery it stored. One retry per failed job (the unique
 * `retryOfJobId`): a second click answers the first retry.
 */
export async function retryJob({ teamId, jobId, userId, options }: { teamId: string, jobId: string, userId: string, options?: RetryOptions }): Promise<{ jobId: string, created: boolean }> {
  const [job] = await getDiscubotJobsByIds(teamId, [jobId])
  if (!job) throw new RetryError(404, 'Job not found')
  if (job.status !== 'failed') throw new RetryError(422, `Only a failed job can be retried; this one is ${job.status}`)
  if (job.discardedAt) throw new RetryError(422, 'This failed job was discarded; a new mention of the thread starts it again')
  if (job.discussionId) return retryDiscussion({ teamId, discussionId: job.discussionId, userId, options })

  const retryId = derivedId('retry-job', job.id)
  const [inserted] = await useDb().batch([enqueueJob({
    id: retryId,
    teamId,
    sourceConfigId: job.sourceConfigId,
    retryOfJobId: job.id,
    payload: job.payload,
    metadata: { ...retryMetadata(userId, job, retryId, options), ...(job.metadata.webhookEventId ? { webhookEventId: job.metadata.webhookEventId } : {}) },
    createdBy: userId,
  })])
  if (inserted.length === 1) {
    notifyJobQueued()
    return { jobId: retryId, created: true }
  }
  const [existing] = await getDiscubotJobRetries(teamId, job.id)
  return { jobId: existing?.id ?? retryId, created: false }
}
