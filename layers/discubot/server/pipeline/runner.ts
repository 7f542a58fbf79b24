// Runs one claimed job through the stages it has not finished. Every write is fenced by the
// job's lease token, each stage's output is checkpointed before the next starts, and a failure
// is classified: transient → the job goes back to the queue with a backoff; permanent → failed.
import { setMaxListeners } from 'node:events'
import { and, eq } from 'drizzle-orm'
import { consola } from 'consola'
import type { Db } from '../utils/db'
import type { Settings } from '../utils/settings'
import { SYSTEM_USER_ID } from '../utils/constants'
import { plainJson } from '../database/columns'
import { backoffDelay } from '../utils/backoff'
import { classifyError, LeaseLostError, messageOf } from '../utils/errors'
import { discubotJobs, discubotJobStages, type DiscubotJob, type DiscubotJobStage } from '../../collections/jobs/server/database/schema'
import { discubotDiscussions } from '../../collections/discussions/server/database/schema'
import { isLeaseLostError, leaseFence, renewJobLease } from '../../collections/jobs/server/database/queue'
import { STAGES, type StageName } from '../../shared/domain'
import type { StageAttempt } from '../../shared/schemas'
import { PIPELINE } from './stages'
import { testHold } from './test-hold'
import type { PipelineServices, StageContext, StageOutputs, StageResult, Write } from './types'

const log = consola.withTag('pipeline')
const MAX_ATTEMPT_LOG = 20

export interface RunnerDeps {
  db: Db
  settings: Settings
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
  const { db, settings } = deps
  const leaseToken = claimed.leaseToken!
  let job = claimed
  const leaseAbort = new AbortController()
  const signal = deps.shutdown ? AbortSignal.any([leaseAbort.signal, deps.shutdown]) : leaseAbort.signal
  // Every external call of the job (pages, retries) listens on this signal while the job runs.
  setMaxListeners(0, signal)
  const stopHeartbeat = startHeartbeat(db, job.id, leaseToken, settings.leaseMs, leaseAbort)

  const fenced = async (writes: Write[]) => {
    await db.batch([leaseFence(db, job.id, leaseToken), ...writes])
  }

  try {
    const rows = await db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, job.id))
    const stageRows = new Map(rows.map(row => [row.stage, row]))
    const outputs: Partial<StageOutputs> = {}

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
        await handBack(db, job, fenced)
        return 'released'
      }
      const attempt = (row?.attempts ?? 0) + 1
      const startedAt = new Date()
      const attemptLog: StageAttempt[] = [...(row?.attemptLog ?? []), { attempt, startedAt: startedAt.toISOString(), workerId: deps.workerId }].slice(-MAX_ATTEMPT_LOG)
      await fenced([
        upsertStageRow(db, job, stage.name, { status: 'running', attempts: attempt, attemptLog, startedAt: row?.startedAt ?? startedAt, leaseToken, workerId: deps.workerId, error: null }),
        db.update(discubotJobs).set({ stage: stage.name, updatedAt: startedAt }).where(eq(discubotJobs.id, job.id)),
      ])

      const ctx: StageContext = {
        db,
        job,
        input: job.payload,
        attempt,
        mayHaveRun: attempt > 1 || Boolean(job.metadata.isRetry),
        outputs,
        settings,
        services: deps.services,
        signal,
        fenced,
        hold: point => deps.hold ? deps.hold(point, job) : testHold(point, job.payload.content),
      }

      let result: StageResult
      try {
        await ctx.hold(`${stage.name}:start`)
        result = await stage.run(ctx)
      }
      catch (error) {
        if (leaseAbort.signal.aborted || isLeaseLostError(error)) throw new LeaseLostError(job.id)
        if (deps.shutdown?.aborted) {
          await release(db, job, stage.name, attemptLog, fenced)
          return 'released'
        }
        return await recordFailure({ db, settings, job, stage: stage.name, attempt, attemptLog, startedAt, error, fenced })
      }

      const completedAt = new Date()
      const isLast = stage.name === STAGES[STAGES.length - 1]
      job = { ...job, ...result.jobPatch, metadata: { ...job.metadata, ...result.jobMetadata } }
      const jobUpdate = isLast
        ? {
            ...result.jobPatch,
            status: 'completed' as const,
            completedAt,
            error: null,
            errorStack: null,
            metadata: { ...job.metadata, processingTime: completedAt.getTime() - (job.startedAt ?? job.createdAt).getTime() },
            lockedBy: null,
            lockedUntil: null,
            leaseToken: null,
            updatedAt: completedAt,
          }
        : { ...result.jobPatch, metadata: job.metadata, stage: nextStage(stage.name), updatedAt: completedAt }
      await fenced([
        upsertStageRow(db, job, stage.name, {
          status: 'completed',
          output: plainJson(result.output),
          completedAt,
          durationMs: completedAt.getTime() - startedAt.getTime(),
          attemptLog: endAttempt(attemptLog, completedAt),
          error: null,
        }),
        ...(result.writes ?? []),
        db.update(discubotJobs).set(jobUpdate).where(eq(discubotJobs.id, job.id)),
      ])
      ;(outputs as Record<string, unknown>)[stage.name] = result.output
    }
    return 'completed'
  }
  catch (error) {
    if (error instanceof LeaseLostError || isLeaseLostError(error) || leaseAbort.signal.aborted) {
      log.warn(`job ${job.id}: lease lost, another worker owns it now`)
      return 'lease_lost'
    }
    // Bookkeeping failed (database unavailable). The job stays leased; the heartbeat stops below,
    // so the lease runs out and the job is claimed again — it is never dropped.
    log.warn(`job ${job.id}: could not record progress (${messageOf(error)}); it will be resumed after its lease expires`)
    return 'interrupted'
  }
  finally {
    stopHeartbeat()
  }
}

function nextStage(stage: StageName): StageName {
  return STAGES[STAGES.indexOf(stage) + 1] ?? stage
}

function endAttempt(log: StageAttempt[], endedAt: Date, error?: string): StageAttempt[] {
  const last = log[log.length - 1]
  if (!last) return log
  return [...log.slice(0, -1), { ...last, endedAt: endedAt.toISOString(), ...(error ? { error } : {}) }]
}

type StageRowPatch = Partial<Omit<DiscubotJobStage, 'id' | 'jobId' | 'teamId' | 'stage' | 'createdAt' | 'createdBy'>>

function upsertStageRow(db: Db, job: DiscubotJob, stage: StageName, patch: StageRowPatch) {
  const now = new Date()
  return db.insert(discubotJobStages)
    .values({ jobId: job.id, teamId: job.teamId, stage, createdBy: SYSTEM_USER_ID, updatedBy: SYSTEM_USER_ID, ...patch })
    .onConflictDoUpdate({ target: [discubotJobStages.jobId, discubotJobStages.stage], set: { ...patch, updatedBy: SYSTEM_USER_ID, updatedAt: now } })
}

function clearedLease() {
  return { lockedBy: null, lockedUntil: null, leaseToken: null }
}

interface FailureContext {
  db: Db
  settings: Settings
  job: DiscubotJob
  stage: StageName
  attempt: number
  attemptLog: StageAttempt[]
  startedAt: Date
  error: unknown
  fenced: (writes: Write[]) => Promise<void>
}

async function recordFailure(f: FailureContext): Promise<RunOutcome> {
  const classified = classifyError(f.error)
  const now = new Date()
  const message = classified.message
  const log_ = endAttempt(f.attemptLog, now, message)
  const durationMs = now.getTime() - f.startedAt.getTime()

  if (classified.kind === 'transient' && f.attempt < f.settings.stageMaxAttempts) {
    const delay = backoffDelay(f.attempt, { baseMs: f.settings.retryBaseMs, capMs: f.settings.retryMaxMs, maxRetryAfterMs: 60 * 60_000 }, classified.retryAfterMs)
    log.info(`job ${f.job.id}: ${f.stage} attempt ${f.attempt} failed (${message}); retrying in ${delay} ms`)
    await f.fenced([
      upsertStageRow(f.db, f.job, f.stage, { status: 'retrying', error: message, attemptLog: log_, durationMs }),
      f.db.update(discubotJobs).set({ status: 'pending', runAt: new Date(now.getTime() + delay), ...clearedLease(), updatedAt: now }).where(eq(discubotJobs.id, f.job.id)),
    ])
    return 'retrying'
  }

  const reason = classified.kind === 'transient'
    ? `${f.stage} failed after ${f.attempt} attempts: ${message}`
    : `${f.stage} failed: ${message}`
  log.warn(`job ${f.job.id}: ${reason}`)
  const stack = f.error instanceof Error ? f.error.stack ?? null : null
  const discussionId = f.job.discussionId
  await f.fenced([
    upsertStageRow(f.db, f.job, f.stage, { status: 'failed', error: message, attemptLog: log_, durationMs, completedAt: now }),
    ...(discussionId
      ? [f.db.update(discubotDiscussions).set({ status: 'failed', error: reason, updatedBy: SYSTEM_USER_ID, updatedAt: now })
          .where(and(eq(discubotDiscussions.id, discussionId), eq(discubotDiscussions.syncJobId, f.job.id)))]
      : []),
    f.db.update(discubotJobs).set({
      status: 'failed',
      error: reason,
      errorStack: stack,
      completedAt: now,
      metadata: { ...f.job.metadata, processingTime: now.getTime() - (f.job.startedAt ?? f.job.createdAt).getTime() },
      ...clearedLease(),
      updatedAt: now,
    }).where(eq(discubotJobs.id, f.job.id)),
  ])
  return 'failed'
}

/** Shutdown mid-stage: hand the job back to the queue at once; the attempt is logged as interrupted. */
async function release(db: Db, job: DiscubotJob, stage: StageName, attemptLog: StageAttempt[], fenced: (writes: Write[]) => Promise<void>) {
  const now = new Date()
  await fenced([
    upsertStageRow(db, job, stage, { status: 'retrying', error: 'Interrupted: the instance shut down', attemptLog: endAttempt(attemptLog, now, 'interrupted by shutdown') }),
    db.update(discubotJobs).set({ status: 'pending', runAt: now, ...clearedLease(), updatedAt: now }).where(eq(discubotJobs.id, job.id)),
  ])
}

/** Shutdown between stages: the job goes back to the queue where it stands, no attempt spent. */
async function handBack(db: Db, job: DiscubotJob, fenced: (writes: Write[]) => Promise<void>) {
  const now = new Date()
  await fenced([db.update(discubotJobs).set({ status: 'pending', runAt: now, ...clearedLease(), updatedAt: now }).where(eq(discubotJobs.id, job.id))])
}

/**
 * Renews the lease every third of its length. A renewal that finds the lease gone aborts the
 * job; renewals that fail (database down) keep trying until the lease would have run out.
 */
function startHeartbeat(db: Db, jobId: string, leaseToken: string, leaseMs: number, abort: AbortController): () => void {
  let validUntil = Date.now() + leaseMs
  let stopped = false
  const beat = async () => {
    const sentAt = Date.now()
    try {
      if (await renewJobLease(db, jobId, leaseToken, leaseMs)) validUntil = sentAt + leaseMs
      else abort.abort(new LeaseLostError(jobId))
    }
    catch {
      if (Date.now() >= validUntil) abort.abort(new LeaseLostError(jobId))
    }
  }
  const timer = setInterval(() => {
    if (!stopped) void beat()
  }, Math.max(100, Math.floor(leaseMs / 3)))
  timer.unref?.()
  return () => {
    stopped = true
    clearInterval(timer)
  }
}
