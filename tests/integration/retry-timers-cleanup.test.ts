import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { discubotTimers } from '#layers/discubot/collections/timers/server/database/schema'
import { retryDiscussion, retryDiscussions, RetryError } from '#layers/discubot/server/pipeline/retry'
import { runCleanup } from '#layers/discubot/server/timers/cleanup'
import { recordUnknownWorkspaceDelivery } from '#layers/discubot/collections/webhook-events/server/database/queries'
import { discubotWebhookEvents } from '#layers/discubot/collections/webhook-events/server/database/schema'
import { ensureCleanupTimer } from '#layers/discubot/server/timers/cleanup-timer'
import { fireDueTimers } from '#layers/discubot/server/timers/timer-loop'
import { claimDueTimer } from '#layers/discubot/collections/timers/server/database/queries'
import { PermanentError } from '#layers/discubot/server/utils/errors'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

async function job(id: string) {
  const [row] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, id))
  return row!
}

describe('retry', () => {
  it('creates a new job that reuses the stored thread and analysis and only creates missing tasks', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    let createdOnce = false
    const world = fakeWorld({
      // The second task's page fails permanently the first time: the job fails half-way through task creation.
      onCreate: (intent) => {
        if (intent.title === 'Update the docs' && !createdOnce) {
          createdOnce = true
          throw new PermanentError('Notion rejected the page (400 validation_error): Priority is not a property')
        }
      },
    })
    const settings = testSettings()
    const { jobId: failedJobId } = await queueSlackJob(team.id, config.id, '1.1') as { jobId: string }
    expect(await runNext(world.services, settings)).toBe('failed')
    const failed = await job(failedJobId)
    const discussionId = failed.discussionId!
    // The page made before the failure is confirmed (it rode with the next task's intent), the other marked failed.
    expect((await t.db.select().from(discubotTasks)).map(task => [task.title, task.status])).toEqual([['Fix the checkout CTA', 'created'], ['Update the docs', 'failed']])
    const failedSnapshot = await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, failedJobId))

    const first = await retryDiscussion({ teamId: team.id, discussionId, userId: 'user-1' })
    const second = await retryDiscussion({ teamId: team.id, discussionId, userId: 'user-1' })
    expect(first.created).toBe(true)
    expect(second).toEqual({ jobId: first.jobId, created: false })
    expect((await t.db.select().from(discubotJobs)).length).toBe(2)

    const retry = await job(first.jobId)
    expect(retry).toMatchObject({ status: 'pending', stage: 'ingestion', retryOfJobId: failedJobId, discussionId, createdBy: 'user-1' })
    expect(retry.metadata).toMatchObject({ isRetry: true, retriedBy: 'user-1', originalDiscussionId: discussionId, retryOfJobId: failedJobId, rootJobId: failedJobId })
    const [pendingDiscussion] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, discussionId))
    expect(pendingDiscussion).toMatchObject({ status: 'pending', syncJobId: first.jobId, error: null })

    expect(await runNext(world.services, settings)).toBe('completed')
    // Thread and analysis reused; only the missing page created.
    expect(world.calls.fetchThread).toBe(1)
    expect(world.calls.analyze).toBe(1)
    expect(world.calls.created.map(intent => intent.title)).toEqual(['Fix the checkout CTA', 'Update the docs'])
    expect(await t.db.select().from(discubotTasks)).toHaveLength(2)
    const stages = await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, first.jobId))
    expect(stages.find(s => s.stage === 'thread_building')!.output).toMatchObject({ reused: true })
    expect(stages.find(s => s.stage === 'task_creation')!.output).toMatchObject({ created: 1, reused: 1 })

    // The old job was never touched, but for the derived flag "its discussion is failed" (0014's
    // triggers keep it for "retry all matching"): the discussion is completed now.
    expect(failed.discussionFailed).toBe(true)
    expect(await job(failedJobId)).toEqual({ ...failed, discussionFailed: false })
    expect(await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, failedJobId))).toEqual(failedSnapshot)
  })

  it('two concurrent clicks make one job', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({ onFetch: () => Promise.reject(new PermanentError('Slack conversations.replies failed: channel_not_found')) })
    const { jobId } = await queueSlackJob(team.id, config.id, '1.2') as { jobId: string }
    await runNext(world.services, testSettings())
    const discussionId = (await job(jobId)).discussionId!
    const clicks = await Promise.all(Array.from({ length: 4 }, () => retryDiscussion({ teamId: team.id, discussionId, userId: 'u' })))
    expect(new Set(clicks.map(click => click.jobId)).size).toBe(1)
    expect(clicks.filter(click => click.created)).toHaveLength(1)
    expect(await t.db.$count(discubotJobs)).toBe(2)
  })

  it('answers 422 for a discussion that did not fail and 404 for an unknown or foreign one', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const other = await seedTeamWithSlackConfig(t.db, 'team-b')
    const world = fakeWorld()
    const { jobId } = await queueSlackJob(team.id, config.id, '2.1') as { jobId: string }
    await runNext(world.services, testSettings())
    const discussionId = (await job(jobId)).discussionId!
    await expect(retryDiscussion({ teamId: team.id, discussionId, userId: 'u' })).rejects.toMatchObject({ statusCode: 422 })
    await expect(retryDiscussion({ teamId: other.team.id, discussionId, userId: 'u' })).rejects.toBeInstanceOf(RetryError)
    await expect(retryDiscussion({ teamId: team.id, discussionId: 'nope', userId: 'u' })).rejects.toMatchObject({ statusCode: 404 })
    const bulk = await retryDiscussions({ teamId: team.id, ids: [discussionId, 'nope'], userId: 'u' })
    expect(bulk.results.map(r => r.statusCode)).toEqual([422, 404])
  })
})

describe('timers and cleanup', () => {
  it('the cleanup schedule is one row that survives re-boots and fires once across claimers', async () => {
    const settings = testSettings({ cleanupIntervalMs: 60_000, cleanupAt: 'off' })
    await ensureCleanupTimer(settings)
    await ensureCleanupTimer(settings)
    const [timer] = await t.db.select().from(discubotTimers)
    expect(timer).toMatchObject({ name: 'cleanup', kind: 'recurring', callback: 'cleanup', intervalMs: 60_000, status: 'active', createdBy: 'system' })
    expect(await t.db.$count(discubotTimers)).toBe(1)

    const overdue = new Date(Date.now() + 61_000)
    const claims = await Promise.all([claimDueTimer('a', 5000, overdue), claimDueTimer('b', 5000, overdue), claimDueTimer('c', 5000, overdue)])
    expect(claims.filter(Boolean)).toHaveLength(1)
  })

  it('an overdue timer fires on the first pass and schedules its next run', async () => {
    await ensureCleanupTimer(testSettings({ cleanupIntervalMs: 60_000, cleanupAt: 'off' }))
    await t.db.update(discubotTimers).set({ nextRunAt: new Date(Date.now() - 3_600_000) })
    const runs: string[] = []
    const cleanup = async (timer: { name: string }) => {
      runs.push(timer.name)
      return { deleted: 0 }
    }
    expect(await fireDueTimers('owner', 5000, { cleanup })).toBe(1)
    expect(runs).toEqual(['cleanup'])
    const [timer] = await t.db.select().from(discubotTimers)
    expect(timer!.runCount).toBe(1)
    expect(timer!.lastResult).toEqual({ deleted: 0 })
    expect(timer!.lockedBy).toBeNull()
    expect(timer!.nextRunAt.getTime()).toBeGreaterThan(Date.now())
    expect(await fireDueTimers('owner', 5000)).toBe(0)
  })

  it('deletes only old finished jobs (with their stage rows), keeping discussions and tasks', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld()
    const settings = testSettings()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(((await queueSlackJob(team.id, config.id, `3.${i}`)) as { jobId: string }).jobId)
    for (let i = 0; i < 4; i++) await runNext(world.services, settings)
    const old = new Date(Date.now() - 31 * 24 * 3_600_000)
    await t.db.update(discubotJobs).set({ completedAt: old }).where(eq(discubotJobs.id, ids[0]!))
    await t.db.update(discubotJobs).set({ completedAt: old, status: 'failed' }).where(eq(discubotJobs.id, ids[1]!))
    // Old but not finished: never deleted.
    await t.db.update(discubotJobs).set({ createdAt: old }).where(eq(discubotJobs.id, ids[4]!))

    expect(await runCleanup({ retentionDays: 30, batchSize: 1 })).toMatchObject({ deleted: 2 })
    const left = (await t.db.select().from(discubotJobs)).map(j => j.id).sort()
    expect(left).toEqual([ids[2], ids[3], ids[4]].sort())
    expect(await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, ids[0]!))).toEqual([])
    expect(await t.db.$count(discubotDiscussions)).toBe(4)
    const orphaned = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.sourceThreadId, 'T1:C1:3.0'))
    expect(orphaned[0]!.syncJobId).toBeNull()
    const tasks = await t.db.select().from(discubotTasks)
    expect(tasks.length).toBe(8)
    expect(tasks.filter(task => task.jobId === null)).toHaveLength(4)
  })

  it('prunes webhook inbox rows past the retention, except those whose job is still to run', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const settings = testSettings()
    const jobs: string[] = []
    for (let i = 0; i < 3; i++) jobs.push(((await queueSlackJob(team.id, config.id, `4.${i}`)) as { jobId: string }).jobId)
    await runNext(fakeWorld().services, settings)
    const old = new Date(Date.now() - 31 * 24 * 3_600_000)
    // All three deliveries are old; the first job finished, the others are still pending.
    await t.db.update(discubotWebhookEvents).set({ receivedAt: old })
    await recordUnknownWorkspaceDelivery({ source: 'slack', eventId: 'T9:Ev-old' }, 'no config')
    await t.db.update(discubotWebhookEvents).set({ receivedAt: old }).where(eq(discubotWebhookEvents.eventId, 'T9:Ev-old'))
    await recordUnknownWorkspaceDelivery({ source: 'slack', eventId: 'T9:Ev-new' }, 'no config')

    expect(await runCleanup({ retentionDays: 30, batchSize: 1 })).toMatchObject({ deliveriesDeleted: 2 })
    const left = await t.db.select().from(discubotWebhookEvents)
    expect(left.map(event => event.jobId ?? event.eventId).sort()).toEqual([jobs[1], jobs[2], 'T9:Ev-new'].sort())
  })
})
