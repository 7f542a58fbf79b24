// Runs one claimed job through the stages it has not finished. Every write is fenced by the
// job's lease token, each stage's output is checkpointed before the next starts, and a failure
// is classified: transient → the job goes back to the queue with a backoff; permanent → failed.
// The state changes themselves are the jobs collection's transitions; this file is the order.
import { setMaxListeners } from 'node:events'
import { useDb } from '../utils/db'
import { useSettings } from '../utils/settings'
import { backoffDelay } from '../utils/backoff'
import { startLeaseHeartbeat } from '../utils/lease-heartbeat'
import { classifyError, LeaseLostError, messageOf, PermanentError } from '../utils/errors'
import type { DiscubotJob } from '../../collections/jobs/server/database/schema'
import { getDiscubotJobStages } from '../../collections/jobs/server/database/queries'
import {
  advanceJob,
  type StageCarry,
  appendStageMessage,
  completeJob,
  completeStage,
  failJob,
  handBackJob,
  isLeaseLostError,
  leaseFence,
  markStageRunning,
  releaseJob,
  renewJobLease,
  scheduleStageRetry,
} from '../../collections/jobs/server/database/lifecycle'
import { markDiscussionFailed } from '../../collections/discussions/server/database/queries'
import { failUncreatedTasksOfJob } from '../../collections/tasks/server/database/queries'
import { STAGES, type StageName } from '../../shared/domain'
import type { StageAttempt } from '../../shared/schemas'
import { PIPELINE } from './stages'
import { testHold } from './test-hold'
import { progressReporter, stageMessage } from './progress'
import { cancellation, CANCEL_CODE } from './cancellation'
import { jobLog, reportStageEnd } from './stage-report'
import { feedbackOnCompletion, feedbackOnFailure, feedbackOnStart } from './job-feedback'
import type { PipelineServices, RunCache, StageContext, StageOutputs, StageResult, Write } from './types'

const MAX_ATTEMPT_LOG = 20

export interface RunnerDeps {
  services: PipelineServices
  workerId: string
  /** Aborted when the instance starts shutting down: no new stage starts, the job is handed back. */
  stopping?: AbortSignal
  /** Aborted when the shutdown grace period is over: the running stage is abandoned and handed back. */
  shutdown?: AbortSignal
  /** Replaces the test-build hold (unit tests). */
  hold?: (point: string, job: DiscubotJob) => Promise<void>
}

export type RunOutcome = 'completed' | 'failed' | 'retrying' | 'released' | 'lease_lost' | 'interrupted'

export async function runJob(claimed: DiscubotJob, deps: RunnerDeps): Promise<RunOutcome> {
  const settings = useSettings()
  const leaseToken = claimed.leaseToken!
  let job = claimed
  const leaseAbort = new AbortController()
  const signal = deps.shutdown ? AbortSignal.any([leaseAbort.signal, deps.shutdown]) : leaseAbort.signal
  // Every external call of the job (pages, retries) listens on this signal while the job runs.
  setMaxListeners(0, signal)
  const stopHeartbeat = startLeaseHeartbeat(() => renewJobLease(job.id, leaseToken, settings.leaseMs), settings.leaseMs, () => leaseAbort.abort(new LeaseLostError(job.id)))

  const fenced = async (writes: Write[]) => {
    await useDb().batch([leaseFence(job.id, leaseToken), ...writes])
  }
  // A finished stage's checkpoint is not committed on its own: it rides in the next batch the run
  // commits anyway — the next stage's start, a hand-back, a failure or, after the last stage, the
  // job's completion — so one transaction ends stage N and starts N+1. A crash before that batch
  // loses the stage's work but none of its promises: its outside effects are found again by their
  // markers (tasks, replies), exactly as after a crash inside the stage.
  let checkpoint: PendingCheckpoint | undefined
  const withCheckpoint = async (writes: Write[]) => {
    const done = checkpoint
    checkpoint = undefined
    await fenced([...(done?.writes ?? []), ...writes])
    done?.committed()
  }
  /** The checkpoint's writes plus what it hands on to the job row, when what follows is no stage start. */
  const carried = (): Write[] => checkpoint ? [advanceJob(job, checkpoint.next, checkpoint.carry.links, checkpoint.carry.metadata, checkpoint.at)] : []
  const cache: RunCache = {}

  try {
    const rows = await getDiscubotJobStages(job.teamId, job.id)
    const stageRows = new Map(rows.map(row => [row.stage, row]))
    const outputs: Partial<StageOutputs> = {}
    // No stage row yet: this run starts the job (a resumed or retried run does not start it again).
    let starting = rows.length === 0

    for (const stage of PIPELINE) {
      const row = stageRows.get(stage.name)
      if (row?.status === 'completed') {
        (outputs as Record<string, unknown>)[stage.name] = row.output
        continue
      }
      // On a local file every query runs on the event loop; between stages, let this instance's
      // waiting requests (webhooks) run first (bench/README.md, ingest with workers on).
      await new Promise(resolve => setImmediate(resolve))
      if (deps.stopping?.aborted) {
        await withCheckpoint([...carried(), handBackJob(job, new Date())])
        return 'released'
      }
      const cancelled = await cancellation(job)
      if (cancelled) return await recordFailure({ job, stage: stage.name, attempt: row?.attempts ?? 0, attemptLog: row?.attemptLog ?? [], startedAt: new Date(), error: cancelled, fenced: writes => withCheckpoint([...carried(), ...writes]) })
      const attempt = (row?.attempts ?? 0) + 1
      if (attempt > settings.stageMaxAttempts) {
        // Every earlier attempt started and never finished: the stage takes its worker down (a
        // crash, an out-of-memory kill). Running it again would only crash the next instance too.
        const interrupted = new PermanentError(`${stage.name} was started ${attempt - 1} times and never finished (the instance running it crashed or lost it each time); giving up so it cannot take another instance down`, { code: 'poison_job' })
        return await recordFailure({ job, stage: stage.name, attempt: attempt - 1, attemptLog: row?.attemptLog ?? [], startedAt: new Date(), error: interrupted, fenced: writes => withCheckpoint([...carried(), ...writes]) })
      }
      const startedAt = new Date()
      const attemptLog: StageAttempt[] = [...(row?.attemptLog ?? []), { attempt, startedAt: startedAt.toISOString(), workerId: deps.workerId }].slice(-MAX_ATTEMPT_LOG)
      await withCheckpoint([
        ...markStageRunning(job, stage.name, { attempt, attemptLog, firstStartedAt: row?.startedAt ?? startedAt, startedAt, leaseToken, workerId: deps.workerId }, checkpoint?.carry),
        ...(starting ? feedbackOnStart(job) : []),
      ])
      starting = false

      const progress = progressReporter(job, stage.name, row?.messages, fenced)
      const ctx: StageContext = {
        job,
        input: job.payload,
        attempt,
        mayHaveRun: attempt > 1 || Boolean(job.metadata.isRetry),
        outputs,
        settings,
        services: deps.services,
        signal,
        fenced,
        progress: progress.report,
        hold: point => deps.hold ? deps.hold(point, job) : testHold(point, job.payload.content),
        cache,
      }

      let result: StageResult
      try {
        await ctx.hold(`${stage.name}:start`)
        result = await stage.run(ctx)
      }
      catch (error) {
        progress.cancel()
        if (leaseAbort.signal.aborted || isLeaseLostError(error)) throw new LeaseLostError(job.id)
        if (deps.shutdown?.aborted) {
          await fenced(releaseJob(job, stage.name, attempt, endAttempt(attemptLog, new Date(), 'interrupted by shutdown'), new Date()))
          return 'released'
        }
        return await recordFailure({ job, stage: stage.name, attempt, attemptLog, startedAt, error, fenced })
      }

      const completedAt = new Date()
      job = { ...job, ...result.jobPatch, metadata: { ...job.metadata, ...result.jobMetadata } }
      const finished = job
      const stageWrites = [
        ...progress.flush(),
        completeStage(job, stage.name, { output: result.output, startedAt, completedAt, attemptLog: endAttempt(attemptLog, completedAt) }),
        ...(result.writes ?? []),
      ]
      ;(outputs as Record<string, unknown>)[stage.name] = result.output
      checkpoint = {
        writes: stageWrites,
        next: nextStage(stage.name),
        carry: { links: result.jobPatch ?? {}, metadata: job.metadata },
        at: completedAt,
        committed: () => reportStageEnd(finished, stage.name, 'ok', completedAt.getTime() - startedAt.getTime()),
      }
    }
    if (checkpoint) {
      // The last stage's checkpoint completes the job.
      const last = checkpoint
      checkpoint = undefined
      await fenced([...last.writes, completeJob(job, last.carry.links, job.metadata, last.at), ...feedbackOnCompletion(job)])
      last.committed()
    }
    return 'completed'
  }
  catch (error) {
    if (error instanceof LeaseLostError || isLeaseLostError(error) || leaseAbort.signal.aborted) {
      jobLog(job).warn(`job ${job.id}: lease lost, another worker owns it now`)
      return 'lease_lost'
    }
    // Bookkeeping failed (database unavailable). The job stays leased; the heartbeat stops below,
    // so the lease runs out and the job is claimed again — it is never dropped.
    jobLog(job).warn(`job ${job.id}: could not record progress (${messageOf(error)}); it will be resumed after its lease expires`)
    return 'interrupted'
  }
  finally {
    stopHeartbeat()
  }
}

interface PendingCheckpoint {
  /** The stage's checkpoint, its progress and the writes it returned. */
  writes: Write[]
  /** The stage the job moves on to. */
  next: StageName
  carry: StageCarry
  at: Date
  /** Reports the stage's end once its checkpoint is committed. */
  committed: () => void
}

function nextStage(stage: StageName): StageName {
  return STAGES[STAGES.indexOf(stage) + 1] ?? stage
}

function endAttempt(log: StageAttempt[], endedAt: Date, error?: string): StageAttempt[] {
  const last = log[log.length - 1]
  if (!last) return log
  return [...log.slice(0, -1), { ...last, endedAt: endedAt.toISOString(), ...(error ? { error } : {}) }]
}

interface FailureContext {
  job: DiscubotJob
  stage: StageName
  attempt: number
  attemptLog: StageAttempt[]
  startedAt: Date
  error: unknown
  fenced: (writes: Write[]) => Promise<void>
}

async function recordFailure(f: FailureContext): Promise<RunOutcome> {
  const settings = useSettings()
  const classified = classifyError(f.error)
  const at = new Date()
  const failure = { error: classified.message, attemptLog: endAttempt(f.attemptLog, at, classified.message), durationMs: at.getTime() - f.startedAt.getTime(), at }

  if (classified.kind === 'transient' && f.attempt < settings.stageMaxAttempts) {
    const delay = backoffDelay(f.attempt, { baseMs: settings.retryBaseMs, capMs: settings.retryMaxMs, maxRetryAfterMs: 60 * 60_000 }, classified.retryAfterMs)
    const runAt = new Date(at.getTime() + delay)
    reportStageEnd(f.job, f.stage, 'retry', failure.durationMs, `attempt ${f.attempt}: ${classified.message}; retrying in ${delay} ms`)
    await f.fenced([...scheduleStageRetry(f.job, f.stage, failure, runAt), appendStageMessage(f.job, f.stage, stageMessage(`waiting for retry until ${runAt.toISOString()}`, at))])
    return 'retrying'
  }

  const cancelled = classified.code === CANCEL_CODE
  const reason = cancelled
    ? classified.message
    : classified.kind === 'transient'
      ? `${f.stage} failed after ${f.attempt} attempts: ${classified.message}`
      : `${f.stage} failed: ${classified.message}`
  reportStageEnd(f.job, f.stage, cancelled ? 'cancelled' : 'failed', failure.durationMs, reason)
  const stack = !cancelled && f.error instanceof Error ? f.error.stack ?? null : null
  const discussionId = f.job.discussionId
  await f.fenced([
    ...failJob(f.job, f.stage, { ...failure, reason, stack }),
    ...(discussionId ? [markDiscussionFailed(f.job.teamId, discussionId, f.job.id, reason, at)] : []),
    failUncreatedTasksOfJob(f.job.teamId, f.job.id, at),
    ...feedbackOnFailure(f.job, f.stage, classified, at),
  ])
  return 'failed'
}
