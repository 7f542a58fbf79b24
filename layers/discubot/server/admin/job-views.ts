// How jobs and stage rows leave the server: without the lease token (a worker's fence, nobody
// else's business) and, in summaries, without the payload.
import type { DiscubotJob, DiscubotJobStage } from '../../collections/jobs/server/database/schema'
import type { DiscubotOutboxItem } from '../../collections/outbox/server/database/schema'
import type { JobSummary, PublicJob, PublicJobStage, ThreadFeedbackItem } from '../../shared/api'

export function publicJob(job: DiscubotJob): PublicJob {
  const { leaseToken: _fence, discussionFailed: _derived, ...rest } = job
  return rest
}

export function jobSummary(job: DiscubotJob): JobSummary {
  const { leaseToken: _fence, discussionFailed: _derived, payload, errorStack: _stack, threadKey: _key, ...rest } = job
  return { ...rest, title: payload.title }
}

export function publicStage(stage: DiscubotJobStage): PublicJobStage {
  const { leaseToken: _fence, ...rest } = stage
  return rest
}

/** A reactions or failure-note row as the job page shows it: what was wanted, what came of it. */
export function threadFeedbackItem(item: DiscubotOutboxItem): ThreadFeedbackItem {
  const payload = item.payload as { state?: unknown }
  const result = (item.result ?? {}) as { reactions?: ThreadFeedbackItem['reactions'], noteId?: unknown }
  return {
    kind: item.kind === 'failure_note' ? 'failure_note' : 'reactions',
    status: item.status,
    state: String(payload.state ?? ''),
    attempts: item.attempts,
    lastError: item.lastError,
    updatedAt: item.updatedAt,
    deliveredAt: item.deliveredAt,
    reactions: result.reactions ?? {},
    noteId: typeof result.noteId === 'string' ? result.noteId : null,
  }
}
