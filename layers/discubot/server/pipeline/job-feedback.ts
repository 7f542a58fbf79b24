// What a job's start, completion and failure tell the people around it: the reactions on the
// mentioning message, the chain's failure note, the team's alerts. Each returns outbox intents
// (statements) the runner commits in the fenced batch of that very transition, so a reaction or a
// note exists exactly when its cause does, and a worker that lost its lease asks for nothing.
// Delivery is the outbox workers' business (server/feedback/): it never delays or fails the job.
import type { Write } from '../utils/db'
import { useSettings } from '../utils/settings'
import type { ClassifiedError } from '../utils/errors'
import type { DiscubotJob } from '../../collections/jobs/server/database/schema'
import { armOutboxItem, enqueueOutboxItem, openFailedJobsWindow, rearmExistingOutboxItem } from '../../collections/outbox/server/database/queries'
import type { StageName } from '../../shared/domain'
import type { AlertPayload, FailureNotePayload, ReactionsPayload, ReactionsState } from '../../shared/outbox'
import { describeFailure, refusedCredential, threadUnreachable, type JobFailure } from '../feedback/failure-words'
import { getSourceAdapter } from '../sources/registry'
import { CANCEL_CODE } from './cancellation'

type FeedbackJob = Pick<DiscubotJob, 'id' | 'teamId' | 'sourceType' | 'sourceConfigId' | 'payload' | 'metadata'>

/** Failures committed this long after their window closed are still counted in it. */
const ALERT_WINDOW_GRACE_MS = 2000

/** Every job of a retry chain answers the same mentioning message: its keys are the chain's. */
export function rootJobIdOf(job: Pick<DiscubotJob, 'id' | 'metadata'>): string {
  return job.metadata.rootJobId ?? job.id
}

export const reactionsKey = (rootJobId: string) => `reactions:${rootJobId}`
export const failureNoteKey = (rootJobId: string) => `failure-note:${rootJobId}`
/** The failure note's marker: its own, so a successful retry's reply (`discubot:<root>`) is another message. */
export const failureNoteMarker = (rootJobId: string) => `discubot-failure:${rootJobId}`

const FIXED_TEXT = 'Fixed: a retry went through, and its summary is in the thread.'

export function jobLink(jobId: string): string {
  return `${useSettings().publicBaseUrl.replace(/\/+$/, '')}/jobs/${jobId}`
}

function threadTarget(job: FeedbackJob) {
  return { sourceType: job.sourceType, thread: job.payload.thread, configId: job.sourceConfigId }
}

/** A source that has a thread to answer in (a pasted discussion has none). */
function hasThread(job: FeedbackJob): boolean {
  return getSourceAdapter(job.sourceType).replies
}

function wantReactions(job: FeedbackJob, state: ReactionsState): Write[] {
  if (!hasThread(job)) return []
  const payload: ReactionsPayload = { ...threadTarget(job), state }
  return [armOutboxItem({ teamId: job.teamId, kind: 'reactions', dedupeKey: reactionsKey(rootJobIdOf(job)), payload, jobId: job.id })]
}

/** The job's first stage is starting: 👀 on the message that mentioned the bot. */
export function feedbackOnStart(job: FeedbackJob): Write[] {
  return wantReactions(job, 'working')
}

/** ✅ instead of 👀 (and of ❌ after a failed try); a failure note of the chain says it was fixed. */
export function feedbackOnCompletion(job: FeedbackJob): Write[] {
  const writes = wantReactions(job, 'completed')
  if (!hasThread(job) || !job.metadata.isRetry) return writes
  const root = rootJobIdOf(job)
  const payload: FailureNotePayload = { ...threadTarget(job), state: 'fixed', marker: failureNoteMarker(root), jobId: job.id, text: FIXED_TEXT, link: jobLink(job.id) }
  // Only a note that is still to be posted (it never will be now) or that was posted.
  return [...writes, rearmExistingOutboxItem(failureNoteKey(root), payload, ['pending', 'delivered'], job.id)]
}

/** ❌, one failure note in the thread, and the team's alerts (grouped failures, refused credentials). */
export function feedbackOnFailure(job: FeedbackJob, stage: StageName, error: ClassifiedError, at: Date): Write[] {
  const settings = useSettings()
  const failure: JobFailure = { stage, kind: error.kind, service: error.service, status: error.status, code: error.code, message: error.message }
  // Someone stopped it on purpose: the thread shows it ended, but nothing failed to tell anyone about.
  if (error.code === CANCEL_CODE) return wantReactions(job, 'failed')
  const writes = [
    ...wantReactions(job, 'failed'),
    openFailedJobsWindow(job.teamId, at, settings.alertWindowMs, ALERT_WINDOW_GRACE_MS, job.id),
  ]
  if (hasThread(job)) {
    const root = rootJobIdOf(job)
    const payload: FailureNotePayload = { ...threadTarget(job), state: 'failed', marker: failureNoteMarker(root), jobId: job.id, text: describeFailure(failure), link: jobLink(job.id) }
    const unreachable = threadUnreachable(failure, job.sourceType)
    writes.push(armOutboxItem({
      teamId: job.teamId,
      kind: 'failure_note',
      dedupeKey: failureNoteKey(root),
      payload,
      jobId: job.id,
      ...(unreachable ? { skipped: `Not posted: the thread itself was refused (${error.message}), so a note there would fail the same way` } : {}),
    }, at))
  }
  const service = refusedCredential(failure)
  if (service) {
    const alert: AlertPayload = { type: 'credentials_refused', service, configId: job.sourceConfigId, detail: error.message.slice(0, 1000), jobId: job.id }
    // Once a day per config and service: a revoked token fails every job until someone fixes it.
    const day = at.toISOString().slice(0, 10)
    writes.push(enqueueOutboxItem({ teamId: job.teamId, kind: 'alert', dedupeKey: `credentials:${job.teamId}:${job.sourceConfigId ?? '-'}:${service}:${day}`, payload: alert, jobId: job.id }, at))
  }
  return writes
}
