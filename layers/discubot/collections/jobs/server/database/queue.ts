// The jobs table as a queue: atomic claims with a lease, heartbeats, and the fence every worker
// write carries. Single statements or batches only, so a remote libSQL server works the same.
import { and, asc, eq, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Db } from '../../../../server/utils/db'
import { discubotJobs, type DiscubotJob } from './schema'

export interface Lease {
  workerId: string
  leaseMs: number
}

/**
 * The statement that opens every fenced batch: the database aborts the batch unless the job is
 * still processing under `leaseToken` (trigger on the `discubot_lease_fence` view, migration 0001).
 */
export function leaseFence(db: Db, jobId: string, leaseToken: string) {
  return db.run(sql`INSERT INTO discubot_lease_fence (job_id, lease_token) VALUES (${jobId}, ${leaseToken})`)
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

async function claimWhere(db: Db, lease: Lease, candidate: ReturnType<typeof sql>, now: Date): Promise<DiscubotJob | undefined> {
  const leaseToken = crypto.randomUUID()
  const [job] = await db.update(discubotJobs).set({
    status: 'processing',
    lockedBy: lease.workerId,
    lockedUntil: new Date(now.getTime() + lease.leaseMs),
    leaseToken,
    startedAt: sql`coalesce(${discubotJobs.startedAt}, ${now.getTime()})`,
    updatedAt: now,
  }).where(and(eq(discubotJobs.id, candidate))).returning()
  return job
}

/**
 * Claims one job: a due pending job, or a processing job whose lease expired (its worker died).
 * One UPDATE … WHERE id = (SELECT …) RETURNING, so two workers can never claim the same job.
 */
export async function claimDueJob(db: Db, lease: Lease, now = new Date()): Promise<DiscubotJob | undefined> {
  const expired = db.select({ id: discubotJobs.id }).from(discubotJobs)
    .where(and(eq(discubotJobs.status, 'processing'), lt(discubotJobs.lockedUntil, now)))
    .orderBy(asc(discubotJobs.lockedUntil)).limit(1)
  const reclaimed = await claimWhere(db, lease, sql`(${expired})`, now)
  if (reclaimed) return reclaimed

  const due = db.select({ id: discubotJobs.id }).from(discubotJobs)
    .where(and(eq(discubotJobs.status, 'pending'), lte(discubotJobs.runAt, now), sql`NOT ${threadBusy(now)}`))
    .orderBy(asc(discubotJobs.runAt)).limit(1)
  return claimWhere(db, lease, sql`(${due})`, now)
}

/** Extends the lease; false when it is no longer ours (expired and taken, or finished). */
export async function renewJobLease(db: Db, jobId: string, leaseToken: string, leaseMs: number): Promise<boolean> {
  const result = await db.update(discubotJobs)
    .set({ lockedUntil: new Date(Date.now() + leaseMs) })
    .where(and(eq(discubotJobs.id, jobId), eq(discubotJobs.leaseToken, leaseToken), eq(discubotJobs.status, 'processing')))
  return result.rowsAffected === 1
}

/**
 * At boot: jobs still leased to an earlier run of this same instance belong to a dead process
 * (kill -9, crash). Hand them back at once instead of waiting for the lease to run out.
 */
export async function releaseLeasesOfDeadSelf(db: Db, instanceId: string, currentWorkerPrefix: string): Promise<number> {
  const result = await db.update(discubotJobs).set({
    status: 'pending',
    lockedBy: null,
    lockedUntil: null,
    leaseToken: null,
    runAt: new Date(),
  }).where(and(
    eq(discubotJobs.status, 'processing'),
    startsWith(discubotJobs.lockedBy, `${instanceId}/`),
    sql`NOT ${startsWith(discubotJobs.lockedBy, currentWorkerPrefix)}`,
  ))
  return result.rowsAffected
}
