// A job's life as named transitions. The jobs table is also the queue: claims take a lease,
// heartbeats renew it, and every write a worker makes is fenced by it. Transitions return
// statements, unexecuted: the runner commits them in one batch that opens with `leaseFence`, so
// a worker that lost its lease changes nothing. Single statements or batches only, so a remote
// libSQL server works the same as the local file.
import { and, asc, eq, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { inTeam } from '../../../../server/database/query-helpers'
import { plainJson } from '../../../../server/database/columns'
import type { StageName } from '../../../../shared/domain'
import type { DiscussionInput, JobMetadata, StageAttempt, StageMessage } from '../../../../shared/schemas'
import { discubotJobs, discubotJobStages, type DiscubotJob, type DiscubotJobStage } from './schema'

export interface Lease {
  workerId: string
  leaseMs: number
}

/** A job as a transition needs it: which row, in which team. */
export type JobRef = Pick<DiscubotJob, 'id' | 'teamId'>

// ---------------------------------------------------------------- the queue

/**
 * The statement that opens every fenced batch: the database aborts the batch unless the job is
 * still processing under `leaseToken` (trigger on the `discubot_lease_fence` view, migration 0001).
 */
export function leaseFence(jobId: string, leaseToken: string): Write {
  return useDb().run(sql`INSERT INTO discubot_lease_fence (job_id, lease_token) VALUES (${jobId}, ${leaseToken})`)
}

export function isLeaseLostError(error: unknown): boolean {
  for (let e = error as { message?: string, cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.message === 'string' && e.message.includes('discubot: lease lost')) return true
  }
  return false
}

/** Exact prefix match (LIKE would read `_` and `%` in an instance id as wildcards). */
function startsWith(column: SQLiteColumn, prefix: string): SQL {
  return sql`substr(${column}, 1, ${prefix.length}) = ${prefix}`
}

/** Another job of the same thread is being worked right now: jobs of one thread run one at a time. */
function threadBusy(now: Date): SQL {
  return sql`EXISTS (SELECT 1 FROM discubot_jobs AS other_job WHERE other_job.thread_key = ${discubotJobs.threadKey} AND other_job.status = 'processing' AND other_job.locked_until >= ${now.getTime()} AND other_job.id <> ${discubotJobs.id})`
}

async function claimWhere(lease: Lease, candidate: SQL, now: Date): Promise<DiscubotJob | undefined> {
  const [job] = await useDb().update(discubotJobs).set({
    status: 'processing',
    lockedBy: lease.workerId,
    lockedUntil: new Date(now.getTime() + lease.leaseMs),
    leaseToken: crypto.randomUUID(),
    startedAt: sql`coalesce(${discubotJobs.startedAt}, ${now.getTime()})`,
    updatedAt: now,
  }).where(candidate).returning()
  return job
}

/** A processing job whose worker died: its lease ran out. */
function leaseExpired(now: Date): SQL {
  return and(eq(discubotJobs.status, 'processing'), lt(discubotJobs.lockedUntil, now))!
}

/** A pending job whose time has come, unless another job of its thread is running. */
function dueNow(now: Date): SQL {
  return and(eq(discubotJobs.status, 'pending'), lte(discubotJobs.runAt, now), sql`NOT ${threadBusy(now)}`)!
}

/** Candidates one read offers: a claim that loses the race for the first tries the next. */
const CLAIM_CANDIDATES = 8
/** Reads before a claim gives up until the next poll (only many workers racing for a few jobs get near it). */
const CLAIM_PASSES = 16

/**
 * Claims one job: a processing job whose lease expired (its worker died), else a due pending job.
 * It reads first — a WAL read never waits and takes no lock, so an idle poll writes nothing — and
 * writes only for a candidate: a conditional UPDATE … WHERE id = ? AND <still claimable>
 * RETURNING, so two workers (or instances) can never both claim it. A lost race means another
 * worker took that job, so looking again ends with a claim or when none is left (or, bounded
 * anyway, after CLAIM_PASSES reads: the next poll tries again).
 */
export async function claimDueJob(lease: Lease, now = new Date()): Promise<DiscubotJob | undefined> {
  const db = useDb()
  for (let pass = 0; pass < CLAIM_PASSES; pass++) {
    const expired = await db.select({ id: discubotJobs.id }).from(discubotJobs)
      .where(leaseExpired(now)).orderBy(asc(discubotJobs.lockedUntil)).limit(CLAIM_CANDIDATES)
    const due = expired.length
      ? []
      : await db.select({ id: discubotJobs.id }).from(discubotJobs)
          .where(dueNow(now)).orderBy(asc(discubotJobs.runAt)).limit(CLAIM_CANDIDATES)
    const candidates = expired.length ? expired : due
    if (candidates.length === 0) return undefined
    const claimable = expired.length ? leaseExpired(now) : dueNow(now)
    for (const candidate of candidates) {
      const claimed = await claimWhere(lease, and(eq(discubotJobs.id, candidate.id), claimable)!, now)
      if (claimed) return claimed
    }
  }
  return undefined
}

/** Extends the lease; false when it is no longer ours (expired and taken, or finished). */
export async function renewJobLease(jobId: string, leaseToken: string, leaseMs: number): Promise<boolean> {
  const result = await useDb().update(discubotJobs)
    .set({ lockedUntil: new Date(Date.now() + leaseMs) })
    .where(and(eq(discubotJobs.id, jobId), eq(discubotJobs.leaseToken, leaseToken), eq(discubotJobs.status, 'processing')))
  return result.rowsAffected === 1
}

/**
 * At boot: jobs still leased to an earlier run of this same instance (NUXT_INSTANCE_ID set and
 * stable) belong to a dead process. Hand them back at once instead of waiting for the lease.
 */
export async function releaseLeasesOfDeadSelf(instanceId: string, currentWorkerPrefix: string): Promise<number> {
  const result = await useDb().update(discubotJobs).set({
    status: 'pending',
    ...clearedLease(),
    runAt: new Date(),
  }).where(and(
    eq(discubotJobs.status, 'processing'),
    startsWith(discubotJobs.lockedBy, `${instanceId}/`),
    sql`NOT ${startsWith(discubotJobs.lockedBy, currentWorkerPrefix)}`,
  ))
  return result.rowsAffected
}

function clearedLease() {
  return { lockedBy: null, lockedUntil: null, leaseToken: null }
}

// ---------------------------------------------------------------- entering the queue

/** Jobs of one thread share this key; the queue runs them one at a time. */
export function threadKeyOf(teamId: string, input: Pick<DiscussionInput, 'sourceType' | 'sourceThreadId'>) {
  return `${teamId}:${input.sourceType}:${input.sourceThreadId}`
}

export interface NewJob {
  id: string
  teamId: string
  sourceConfigId: string | null
  payload: DiscussionInput
  metadata: JobMetadata
  discussionId?: string | null
  retryOfJobId?: string | null
  createdBy?: string
}

/** A new pending job, due now. Derived ids make a second insert of the same job a no-op. */
export function enqueueJob(job: NewJob, now = new Date()) {
  const by = job.createdBy ?? SYSTEM_USER_ID
  return useDb().insert(discubotJobs).values({
    id: job.id,
    teamId: job.teamId,
    sourceType: job.payload.sourceType,
    sourceConfigId: job.sourceConfigId,
    discussionId: job.discussionId ?? null,
    retryOfJobId: job.retryOfJobId ?? null,
    threadKey: threadKeyOf(job.teamId, job.payload),
    payload: job.payload,
    runAt: now,
    metadata: job.metadata,
    createdBy: by,
    updatedBy: by,
  }).onConflictDoNothing().returning({ id: discubotJobs.id })
}

/**
 * Undoes a delivery's job insert when no inbox row points at it: a re-delivery so late that the
 * cleanup already deleted its job would otherwise re-create it.
 */
export function dropJobWithoutDelivery(jobId: string): Write {
  return useDb().delete(discubotJobs)
    .where(and(eq(discubotJobs.id, jobId), sql`NOT EXISTS (SELECT 1 FROM discubot_webhook_events WHERE job_id = ${jobId})`))
}

// ---------------------------------------------------------------- stages

type StageRowPatch = Partial<Omit<DiscubotJobStage, 'id' | 'jobId' | 'teamId' | 'stage' | 'createdAt' | 'createdBy'>>

function upsertStageRow(job: JobRef, stage: StageName, patch: StageRowPatch): Write {
  const now = new Date()
  return useDb().insert(discubotJobStages)
    .values({ jobId: job.id, teamId: job.teamId, stage, createdBy: SYSTEM_USER_ID, updatedBy: SYSTEM_USER_ID, ...patch })
    .onConflictDoUpdate({ target: [discubotJobStages.jobId, discubotJobStages.stage], set: { ...patch, updatedBy: SYSTEM_USER_ID, updatedAt: now } })
}

function updateJob(job: JobRef, patch: Partial<typeof discubotJobs.$inferInsert>): Write {
  return useDb().update(discubotJobs)
    .set({ ...patch, updatedBy: SYSTEM_USER_ID, updatedAt: patch.updatedAt ?? new Date() })
    .where(and(eq(discubotJobs.id, job.id), inTeam(discubotJobs.teamId, job.teamId)))
}

export interface StageStart {
  attempt: number
  attemptLog: StageAttempt[]
  /** When the stage first started (kept across attempts). */
  firstStartedAt: Date
  startedAt: Date
  leaseToken: string
  workerId: string
}

/** What a finished stage hands on to the job row: the links it learned and the job's metadata. */
export interface StageCarry {
  links: JobLinks
  metadata: JobMetadata
}

/**
 * The stage is running: its attempt is counted before it runs, so a crash mid-stage still counts.
 * `carry`: the previous stage's checkpoint is committed in this same batch (one transaction ends
 * stage N and starts N+1), and what it hands on to the job row is set by this one UPDATE.
 */
export function markStageRunning(job: JobRef, stage: StageName, start: StageStart, carry?: StageCarry): Write[] {
  return [
    upsertStageRow(job, stage, {
      status: 'running',
      progress: 0,
      attempts: start.attempt,
      attemptLog: start.attemptLog,
      startedAt: start.firstStartedAt,
      leaseToken: start.leaseToken,
      workerId: start.workerId,
      error: null,
    }),
    updateJob(job, { ...carry?.links, ...(carry ? { metadata: carry.metadata } : {}), stage, updatedAt: start.startedAt }),
  ]
}

export interface StageDone {
  output: unknown
  startedAt: Date
  completedAt: Date
  attemptLog: StageAttempt[]
}

/** The stage's checkpoint: a resumed job reloads `output` instead of running the stage again. */
export function completeStage(job: JobRef, stage: StageName, done: StageDone): Write {
  return upsertStageRow(job, stage, {
    status: 'completed',
    output: plainJson(done.output) as DiscubotJobStage['output'],
    completedAt: done.completedAt,
    durationMs: done.completedAt.getTime() - done.startedAt.getTime(),
    attemptLog: done.attemptLog,
    error: null,
  })
}

export type JobLinks = Partial<Pick<DiscubotJob, 'discussionId' | 'sourceConfigId'>>

/** The job moves on to `next` with what the finished stage learned. */
export function advanceJob(job: JobRef, next: StageName, links: JobLinks, metadata: JobMetadata, at: Date): Write {
  return updateJob(job, { ...links, metadata, stage: next, updatedAt: at })
}

function processingTime(job: Pick<DiscubotJob, 'startedAt' | 'createdAt'>, at: Date) {
  return at.getTime() - (job.startedAt ?? job.createdAt).getTime()
}

export function completeJob(job: JobRef & Pick<DiscubotJob, 'startedAt' | 'createdAt'>, links: JobLinks, metadata: JobMetadata, at: Date): Write {
  return updateJob(job, {
    ...links,
    status: 'completed',
    completedAt: at,
    error: null,
    errorStack: null,
    metadata: { ...metadata, processingTime: processingTime(job, at) },
    ...clearedLease(),
    updatedAt: at,
  })
}

export interface StageFailure {
  error: string
  attemptLog: StageAttempt[]
  durationMs: number
  at: Date
}

/** A transient failure: the stage waits for its next attempt, the job goes back to the queue at `runAt`. */
export function scheduleStageRetry(job: JobRef, stage: StageName, failure: StageFailure, runAt: Date): Write[] {
  return [
    upsertStageRow(job, stage, { status: 'retrying', error: failure.error, attemptLog: failure.attemptLog, durationMs: failure.durationMs }),
    updateJob(job, { status: 'pending', runAt, ...clearedLease(), updatedAt: failure.at }),
  ]
}

/** For good: the stage and the job are failed with `reason`, the words an admin reads. */
export function failJob(job: JobRef & Pick<DiscubotJob, 'startedAt' | 'createdAt' | 'metadata'>, stage: StageName, failure: StageFailure & { reason: string, stack: string | null }): Write[] {
  return [
    upsertStageRow(job, stage, { status: 'failed', error: failure.error, attemptLog: failure.attemptLog, durationMs: failure.durationMs, completedAt: failure.at }),
    updateJob(job, {
      status: 'failed',
      error: failure.reason,
      errorStack: failure.stack,
      completedAt: failure.at,
      metadata: { ...job.metadata, processingTime: processingTime(job, failure.at) },
      ...clearedLease(),
      updatedAt: failure.at,
    }),
  ]
}

/**
 * Shutdown mid-stage: the job goes back to the queue at once. The interrupted attempt is logged but
 * not counted (the stage did not fail, the instance stopped), so rolling restarts never use up a
 * job's attempts.
 */
export function releaseJob(job: JobRef, stage: StageName, attempt: number, attemptLog: StageAttempt[], at: Date): Write[] {
  return [
    upsertStageRow(job, stage, { status: 'retrying', attempts: Math.max(0, attempt - 1), error: 'Interrupted: the instance shut down', attemptLog }),
    updateJob(job, { status: 'pending', runAt: at, ...clearedLease(), updatedAt: at }),
  ]
}

/** Shutdown between stages: the job goes back to the queue where it stands, no attempt spent. */
export function handBackJob(job: JobRef, at: Date): Write {
  return updateJob(job, { status: 'pending', runAt: at, ...clearedLease(), updatedAt: at })
}

// ---------------------------------------------------------------- live progress

/** The running stage's progress (0–1, null keeps it) and recent messages; a no-op once the stage stopped running. */
export function recordStageProgress(job: JobRef, stage: StageName, progress: number | null, messages: StageMessage[]): Write {
  return useDb().update(discubotJobStages)
    .set({ ...(progress === null ? {} : { progress }), messages, updatedAt: new Date() })
    .where(and(eq(discubotJobStages.jobId, job.id), eq(discubotJobStages.stage, stage), inTeam(discubotJobStages.teamId, job.teamId), eq(discubotJobStages.status, 'running')))
}

/** One more message on a stage row whatever its state (the runner's "waiting for retry until …"), appended in SQL. */
export function appendStageMessage(job: JobRef, stage: StageName, message: StageMessage): Write {
  return useDb().update(discubotJobStages)
    .set({ messages: sql`json_insert(coalesce(${discubotJobStages.messages}, '[]'), '$[#]', json(${JSON.stringify(message)}))` })
    .where(and(eq(discubotJobStages.jobId, job.id), eq(discubotJobStages.stage, stage), inTeam(discubotJobStages.teamId, job.teamId)))
}

// ---------------------------------------------------------------- controls (discard, cancel)

/** A failed job set aside, kept for audit; false when it is not a failed, not yet discarded job of the team. */
export async function discardFailedJob(teamId: string, jobId: string, userId: string, at = new Date()): Promise<boolean> {
  const rows = await useDb().update(discubotJobs)
    .set({ discardedAt: at, discardedBy: userId, updatedBy: userId, updatedAt: at })
    .where(and(eq(discubotJobs.id, jobId), eq(discubotJobs.teamId, teamId), eq(discubotJobs.status, 'failed'), isNull(discubotJobs.discardedAt)))
    .returning({ id: discubotJobs.id })
  return rows.length === 1
}

/**
 * Asks a pending or processing job to stop: the runner fails it before its next stage. Answers the
 * status the job had (undefined when it is not the team's, or already finished).
 */
export async function requestJobCancel(teamId: string, jobId: string, userId: string, at = new Date()): Promise<'pending' | 'processing' | undefined> {
  const [row] = await useDb().update(discubotJobs)
    .set({ cancelRequestedAt: sql`coalesce(${discubotJobs.cancelRequestedAt}, ${at.getTime()})`, cancelRequestedBy: sql`coalesce(${discubotJobs.cancelRequestedBy}, ${userId})` })
    .where(and(eq(discubotJobs.id, jobId), eq(discubotJobs.teamId, teamId), inArray(discubotJobs.status, ['pending', 'processing'])))
    .returning({ status: discubotJobs.status })
  return row?.status as 'pending' | 'processing' | undefined
}

/** Who asked to cancel the job, if anyone: the runner reads it before each stage (a primary-key read). */
export async function getCancelRequest(job: JobRef): Promise<{ at: Date, by: string } | null> {
  const [row] = await useDb().select({ at: discubotJobs.cancelRequestedAt, by: discubotJobs.cancelRequestedBy }).from(discubotJobs)
    .where(and(eq(discubotJobs.id, job.id), inTeam(discubotJobs.teamId, job.teamId)))
  return row?.at && row.by ? { at: row.at, by: row.by } : null
}

/** Claims one pending job by id (due or not) with a lease, exactly as a worker would. */
export async function claimPendingJob(jobId: string, lease: Lease, now = new Date()): Promise<DiscubotJob | undefined> {
  return claimWhere(lease, and(eq(discubotJobs.id, jobId), eq(discubotJobs.status, 'pending'))!, now)
}

// ---------------------------------------------------------------- cleanup

/** Deletes up to `limit` finished jobs completed before `cutoff`; stage rows go with them (cascade). */
export async function deleteFinishedJobs(cutoff: Date, limit: number): Promise<number> {
  const db = useDb()
  const batch = db.select({ id: discubotJobs.id }).from(discubotJobs)
    .where(and(inArray(discubotJobs.status, ['completed', 'failed']), lt(discubotJobs.completedAt, cutoff)))
    .limit(limit)
  const result = await db.delete(discubotJobs).where(inArray(discubotJobs.id, batch))
  return result.rowsAffected
}
