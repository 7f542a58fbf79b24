// The overview reads roll-ups that SQLite triggers keep (drizzle/0014). Here a random mix of what
// happens to jobs — webhooks, claims, stages that complete, retry later or fail for good, retries,
// discards, cancels, rows aged into other days and hours, the retention cleanup — runs through the
// real code on a real libSQL file, and after every step the overview, the list totals and the
// "retry all matching" preview must equal the same figures aggregated from scratch over the raw rows.
import { afterEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { and, asc, count, countDistinct, eq, isNotNull, sql } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { countDiscubotJobs, countDiscubotJobsByStatus, getDiscubotQueueStats, jobListWhere } from '#layers/discubot/collections/jobs/server/database/queries'
import { getDiscubotJobsPerDay, getDiscubotStageDurations } from '#layers/discubot/collections/jobs/server/database/stats'
import { countDiscubotRetryMatchingDiscussions, listDiscubotRetryMatchingDiscussionIds } from '#layers/discubot/collections/jobs/server/database/admin-queries'
import { deleteFinishedJobs } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import { countDiscubotDiscussionsByStatus } from '#layers/discubot/collections/discussions/server/database/queries'
import { countDiscubotTasks } from '#layers/discubot/collections/tasks/server/database/queries'
import { getOverview, OVERVIEW_DAYS, overviewSince } from '#layers/discubot/server/admin/overview'
import { retryDiscussion } from '#layers/discubot/server/pipeline/retry'
import { discardJob } from '#layers/discubot/server/pipeline/discard'
import { cancelJob } from '#layers/discubot/server/pipeline/cancel'
import { runCleanup } from '#layers/discubot/server/timers/cleanup'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import type { JobListQuery } from '#layers/discubot/shared/list-query'
import type { JobFilter } from '#layers/discubot/shared/admin-input'
import type { Db } from '#layers/discubot/server/utils/db'

const HOUR_MS = 60 * 60_000
const DAY_MS = 24 * HOUR_MS

let t: TempDb | undefined
afterEach(() => {
  vi.restoreAllMocks()
  t?.cleanup()
  t = undefined
})

type Outcome = 'ok' | 'transient' | 'permanent'
type Action
  = | { kind: 'webhook', thread: number }
    | { kind: 'run', outcome: Outcome, stage: number }
    | { kind: 'retry', pick: number }
    | { kind: 'discard', pick: number }
    | { kind: 'cancel', pick: number }
    | { kind: 'age', pick: number, hours: number }
    | { kind: 'delete', n: number }
    | { kind: 'cleanup' }

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('webhook' as const), thread: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('run' as const), outcome: fc.constantFrom<Outcome>('ok', 'transient', 'permanent', 'permanent'), stage: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('discard' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('age' as const), pick: fc.nat(), hours: fc.integer({ min: 1, max: 24 * 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cleanup' as const }) },
)

/** The pipeline's outside world, told per run where (and how) to go wrong. */
function world() {
  const plan = { outcome: 'ok' as Outcome, stage: 0 }
  let calls = 0
  const hook = (index: number) => () => {
    if (plan.outcome === 'ok' || plan.stage !== index) return
    if (calls++ > 100) return
    throw plan.outcome === 'transient' ? new TransientError('try later', { retryAfterMs: 0 }) : new PermanentError('refused')
  }
  const { services } = fakeWorld({ onFetch: hook(0), onAnalyze: hook(1), onCreate: hook(2), onPost: hook(3) })
  return { services, plan }
}

const pick = <T>(list: T[], n: number) => list.length ? list[n % list.length] : undefined

/** The overview as the raw aggregates compute it: the roll-ups' definition. */
async function fromScratch(teamId: string, now: Date) {
  const since = overviewSince(now)
  const [jobs, discussions, tasks, queue, perDay, stageDurations] = await Promise.all([
    countDiscubotJobsByStatus(teamId),
    countDiscubotDiscussionsByStatus(teamId),
    countDiscubotTasks(teamId),
    getDiscubotQueueStats(teamId),
    getDiscubotJobsPerDay(teamId, OVERVIEW_DAYS, now),
    getDiscubotStageDurations(teamId, since),
  ])
  return { jobs, discussions, tasks, queue, perDay, stageDurations, slowestStage: stageDurations[0] ?? null }
}

/** "Retry all matching" as it was answered before the flag: failed jobs joined to their discussions. */
async function retryMatchingByJoin(db: Db, teamId: string, filter: JobFilter) {
  const where = and(jobListWhere(teamId, { ...filter, status: 'failed' }), isNotNull(discubotJobs.discussionId), eq(discubotDiscussions.status, 'failed'))
  const [row] = await db.select({ n: countDistinct(discubotJobs.discussionId) }).from(discubotJobs)
    .innerJoin(discubotDiscussions, eq(discubotDiscussions.id, discubotJobs.discussionId)).where(where)
  const ids = await db.selectDistinct({ id: discubotJobs.discussionId }).from(discubotJobs)
    .innerJoin(discubotDiscussions, eq(discubotDiscussions.id, discubotJobs.discussionId)).where(where)
    .orderBy(asc(discubotJobs.discussionId)).limit(1000)
  return { n: row?.n ?? 0, ids: ids.map(r => r.id) }
}

const LIST_FILTERS: Partial<JobListQuery>[] = [
  {}, { status: 'failed' }, { status: 'pending' }, { status: 'completed' }, { sourceType: 'slack' },
  { sourceType: 'figma' }, { discarded: true }, { status: 'failed', discarded: true }, { status: 'processing', sourceType: 'slack' },
]

async function expectRollupsExact(db: Db, teamId: string) {
  // Every stage completion and job creation, as instants where the windows could begin.
  const instants = (await db.all<{ at: number }>(sql`
    SELECT completed_at AS at FROM ${discubotJobStages} WHERE completed_at IS NOT NULL
    UNION SELECT created_at FROM ${discubotJobs}`)).map(r => Number(r.at))
  const spread = instants.filter((_, i) => i % Math.ceil(instants.length / 3) === 0)
  const nows = [Date.now(), Date.now() + 3 * DAY_MS, ...spread.flatMap(at => [at + OVERVIEW_DAYS * DAY_MS, at + OVERVIEW_DAYS * DAY_MS + 1])]
  vi.spyOn(Date, 'now').mockReturnValue(Date.now())
  try {
    for (const now of nows) {
      expect(await getOverview(teamId, new Date(now))).toEqual(await fromScratch(teamId, new Date(now)))
    }
  }
  finally {
    vi.mocked(Date.now).mockRestore()
  }
  for (const filter of LIST_FILTERS) {
    const [raw] = await db.select({ n: count() }).from(discubotJobs).where(jobListWhere(teamId, filter))
    expect(await countDiscubotJobs(teamId, filter), JSON.stringify(filter)).toBe(raw!.n)
  }
  for (const filter of [{}, { sourceType: 'slack' as const }, { stage: 'thread_building' as const }, { q: 'tasks' }]) {
    const reference = await retryMatchingByJoin(db, teamId, filter)
    expect(await countDiscubotRetryMatchingDiscussions(teamId, filter)).toBe(reference.n)
    expect(await listDiscubotRetryMatchingDiscussionIds(teamId, filter, 1000)).toEqual(reference.ids)
  }
}

async function play(actions: Action[]) {
  t = await createTempDb()
  const db = t.db
  const { team, config } = await seedTeamWithSlackConfig(db, 'rollup-a')
  // Another team's rows must never show up in the first team's figures.
  const other = await seedTeamWithSlackConfig(db, 'rollup-b')
  await queueSlackJob(other.team.id, other.config.id, '9.0')
  const { services, plan } = world()
  const settings = testSettings()
  let event = 0
  for (const step of actions) {
    const jobs = await db.select({ id: discubotJobs.id, status: discubotJobs.status, discussionId: discubotJobs.discussionId, discardedAt: discubotJobs.discardedAt })
      .from(discubotJobs).where(eq(discubotJobs.teamId, team.id)).orderBy(asc(discubotJobs.id))
    switch (step.kind) {
      case 'webhook':
        await queueSlackJob(team.id, config.id, `${step.thread}.0`, `Ev-${event++}`)
        break
      case 'run':
        Object.assign(plan, { outcome: step.outcome, stage: step.stage })
        // Far enough ahead that a job backing off is due again.
        await runNext(services, settings, { now: new Date(Date.now() + HOUR_MS) })
        break
      case 'retry': {
        const failed = pick(jobs.filter(j => j.status === 'failed' && j.discussionId && !j.discardedAt), step.pick)
        if (failed) await retryDiscussion({ teamId: team.id, discussionId: failed.discussionId!, userId: 'u1' }).catch(() => {})
        break
      }
      case 'discard': {
        const failed = pick(jobs.filter(j => j.status === 'failed'), step.pick)
        if (failed) await discardJob({ teamId: team.id, jobId: failed.id, userId: 'u1' })
        break
      }
      case 'cancel': {
        const open = pick(jobs.filter(j => j.status === 'pending'), step.pick)
        if (open) await cancelJob({ teamId: team.id, jobId: open.id, userId: 'u1' }).catch(() => {})
        break
      }
      case 'age': {
        // Into other days and hours: the update triggers move the counts between roll-up rows.
        const job = pick(jobs, step.pick)
        if (!job) break
        const shift = step.hours * HOUR_MS + 17_000
        await db.update(discubotJobs).set({ createdAt: sql`${discubotJobs.createdAt} - ${shift}` }).where(eq(discubotJobs.id, job.id))
        await db.update(discubotJobStages).set({
          startedAt: sql`${discubotJobStages.startedAt} - ${shift}`,
          completedAt: sql`${discubotJobStages.completedAt} - ${shift}`,
        }).where(eq(discubotJobStages.jobId, job.id))
        break
      }
      case 'delete':
        await deleteFinishedJobs(new Date(Date.now() + DAY_MS), step.n)
        break
      case 'cleanup':
        await runCleanup({ retentionDays: 1, now: new Date(Date.now() + 3 * DAY_MS) })
        break
    }
    await expectRollupsExact(db, team.id)
  }
}

describe('overview roll-ups', () => {
  it('equal the aggregates over the raw rows after any mix of job transitions', async () => {
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 40 }), async (actions) => {
      try {
        await play(actions)
      }
      finally {
        t?.cleanup()
        t = undefined
      }
    }), { numRuns: 12 })
  }, 300_000)

  it('leave a retried discussion out of "retry all matching" and count its new job', async () => {
    await play([
      { kind: 'webhook', thread: 1 },
      { kind: 'run', outcome: 'permanent', stage: 1 },
      { kind: 'retry', pick: 0 },
      { kind: 'run', outcome: 'permanent', stage: 2 },
      { kind: 'retry', pick: 1 },
      { kind: 'discard', pick: 0 },
      { kind: 'run', outcome: 'ok', stage: 0 },
    ])
  }, 60_000)

  it('stay exact when the slowest run of an hour goes and when a stage row is re-opened', async () => {
    await play([
      { kind: 'webhook', thread: 1 },
      { kind: 'webhook', thread: 2 },
      { kind: 'run', outcome: 'ok', stage: 0 },
      { kind: 'run', outcome: 'ok', stage: 0 },
    ])
    const db = t!.db
    const [slowest] = await db.select({ id: discubotJobStages.id, teamId: discubotJobStages.teamId }).from(discubotJobStages)
      .where(eq(discubotJobStages.status, 'completed')).orderBy(asc(discubotJobStages.id)).limit(1)
    await db.update(discubotJobStages).set({ durationMs: 10_000_000 }).where(eq(discubotJobStages.id, slowest!.id))
    await expectRollupsExact(db, slowest!.teamId)
    await db.update(discubotJobStages).set({ durationMs: 5 }).where(eq(discubotJobStages.id, slowest!.id))
    await expectRollupsExact(db, slowest!.teamId)
    await db.update(discubotJobStages).set({ status: 'running', completedAt: null }).where(eq(discubotJobStages.id, slowest!.id))
    await expectRollupsExact(db, slowest!.teamId)
    await db.update(discubotJobStages).set({ durationMs: null, startedAt: null, status: 'completed', completedAt: new Date() }).where(eq(discubotJobStages.id, slowest!.id))
    await expectRollupsExact(db, slowest!.teamId)
    await db.delete(discubotJobStages).where(eq(discubotJobStages.teamId, slowest!.teamId))
    await expectRollupsExact(db, slowest!.teamId)
  }, 60_000)
})
