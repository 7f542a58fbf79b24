import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { discubotWebhookEvents } from '#layers/discubot/collections/webhook-events/server/database/schema'
import { claimDueJob } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import { runJob } from '#layers/discubot/server/pipeline/runner'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import { STAGES } from '#layers/discubot/shared/domain'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

async function jobRow(id: string) {
  const [job] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, id))
  return job!
}

async function stageRows(jobId: string) {
  return t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, jobId))
}

describe('pipeline runner', () => {
  it('runs the six stages in order, checkpoints each, and finalizes job and discussion', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld()
    const settings = testSettings()
    const accepted = await queueSlackJob(team.id, config.id, '100.1')
    expect(accepted.status).toBe('accepted')
    const jobId = (accepted as { jobId: string }).jobId

    const seen: string[] = []
    const hold = async (point: string) => {
      seen.push(point)
    }
    expect(await runNext(world.services, settings, { hold })).toBe('completed')

    expect(seen.filter(p => p.endsWith(':start'))).toEqual(STAGES.map(s => `${s}:start`))
    const job = await jobRow(jobId)
    expect(job).toMatchObject({ status: 'completed', stage: 'notification', lockedBy: null, leaseToken: null, createdBy: 'system', updatedBy: 'system' })
    expect(job.completedAt).toBeInstanceOf(Date)
    expect(job.metadata.processingTime).toBeGreaterThanOrEqual(0)
    expect(job.metadata.taskIds).toHaveLength(2)

    const rows = await stageRows(jobId)
    expect(rows.map(r => r.status)).toEqual(STAGES.map(() => 'completed'))
    expect(rows.every(r => r.attempts === 1 && r.leaseToken && r.output !== null)).toBe(true)

    const [discussion] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, job.discussionId!))
    expect(discussion).toMatchObject({ status: 'completed', syncJobId: jobId, aiSummary: expect.stringContaining('checkout'), createdBy: 'system' })
    expect(discussion!.threadData?.messages).toHaveLength(2)
    expect(discussion!.notionTaskIds).toEqual(job.metadata.taskIds)

    const tasks = await t.db.select().from(discubotTasks).where(eq(discubotTasks.discussionId, discussion!.id))
    expect(tasks.map(task => [task.status, task.notionPageId, task.isMultiTaskChild]).sort()).toEqual([['created', 'page-1', true], ['created', 'page-2', true]])
    expect(world.calls).toMatchObject({ fetchThread: 1, analyze: 1, findExisting: 0, findReply: 0 })
    expect(world.calls.posted).toHaveLength(1)
    expect(world.calls.posted[0]!.marker).toBe(`discubot:${jobId}`)
    expect(world.calls.posted[0]!.tasks.map(task => task.url)).toEqual(['https://notion.test/page-1', 'https://notion.test/page-2'])
  })

  it('a transient error puts the job back in the queue with a backoff; the resumed job skips finished stages', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    let failAnalysis = true
    const world = fakeWorld({
      onAnalyze: () => {
        if (failAnalysis) {
          failAnalysis = false
          throw new TransientError('Anthropic is overloaded (529)', { retryAfterMs: 60_000 })
        }
      },
    })
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '200.1') as { jobId: string }

    const before = Date.now()
    expect(await runNext(world.services, settings)).toBe('retrying')
    const waiting = await jobRow(jobId)
    expect(waiting).toMatchObject({ status: 'pending', stage: 'ai_analysis', lockedBy: null, leaseToken: null })
    // Retry-After (60 s) wins over the computed backoff.
    expect(waiting.runAt.getTime()).toBeGreaterThanOrEqual(before + 60_000)
    const analysisRow = (await stageRows(jobId)).find(r => r.stage === 'ai_analysis')!
    expect(analysisRow).toMatchObject({ status: 'retrying', attempts: 1, error: 'Anthropic is overloaded (529)' })
    expect(analysisRow.attemptLog[0]!.error).toBe('Anthropic is overloaded (529)')

    // Not due yet.
    expect(await runNext(world.services, settings)).toBeUndefined()
    expect(await runNext(world.services, settings, { now: new Date(Date.now() + 61_000) })).toBe('completed')
    expect(world.calls).toMatchObject({ fetchThread: 1, analyze: 2 })
    const rows = await stageRows(jobId)
    expect(rows.find(r => r.stage === 'ai_analysis')!.attempts).toBe(2)
    expect(rows.find(r => r.stage === 'thread_building')!.attempts).toBe(1)
  })

  it('a permanent error fails job and discussion at once with a readable message', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({ onFetch: () => Promise.reject(new PermanentError('Slack conversations.replies failed: channel_not_found')) })
    const { jobId } = await queueSlackJob(team.id, config.id, '300.1') as { jobId: string }
    expect(await runNext(world.services, testSettings())).toBe('failed')
    const job = await jobRow(jobId)
    expect(job).toMatchObject({ status: 'failed', stage: 'thread_building', error: 'thread_building failed: Slack conversations.replies failed: channel_not_found', lockedBy: null })
    expect(job.errorStack).toContain('PermanentError')
    expect(job.completedAt).toBeInstanceOf(Date)
    expect(job.metadata.processingTime).toBeGreaterThanOrEqual(0)
    const [discussion] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, job.discussionId!))
    expect(discussion).toMatchObject({ status: 'failed', error: job.error })
  })

  it('gives up after the attempt limit on a transient error', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({ onPost: () => Promise.reject(new TransientError('Slack chat.postMessage failed: internal_error')) })
    const settings = testSettings({ stageMaxAttempts: 3 })
    const { jobId } = await queueSlackJob(team.id, config.id, '400.1') as { jobId: string }
    const outcomes = []
    for (let i = 0; i < 3; i++) outcomes.push(await runNext(world.services, settings, { now: new Date(Date.now() + 3_600_000) }))
    expect(outcomes).toEqual(['retrying', 'retrying', 'failed'])
    expect((await jobRow(jobId)).error).toBe('notification failed after 3 attempts: Slack chat.postMessage failed: internal_error')
  })

  it('resumes a crashed job at its first unfinished stage without redoing side effects', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld()
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '500.1') as { jobId: string }
    // First run: the notification posts, then the process "dies" before its checkpoint.
    const job = await claimDueJob({ workerId: 'test-instance/dead/0', leaseMs: settings.leaseMs })
    const crash = new Error('simulated crash')
    const firstRun = runJob(job!, {
      services: world.services, workerId: 'test-instance/dead/0',
      hold: async (point) => {
        if (point === 'notification:after-post') throw crash
      },
    })
    // The hold throwing is recorded as a transient failure; emulate the crash's DB state instead:
    await firstRun
    await t.db.update(discubotJobs).set({ status: 'processing', lockedBy: 'test-instance/dead/0', lockedUntil: new Date(Date.now() - 1), leaseToken: 'dead-token' }).where(eq(discubotJobs.id, jobId))
    await t.db.update(discubotJobStages).set({ status: 'running' }).where(and(eq(discubotJobStages.jobId, jobId), eq(discubotJobStages.stage, 'notification')))
    expect(world.calls.posted).toHaveLength(1)

    // The expired lease is reclaimed; the notification stage finds its reply instead of posting again.
    expect(await runNext(world.services, settings, { workerId: 'test-instance/new/0' })).toBe('completed')
    expect(world.calls.posted).toHaveLength(1)
    expect(world.calls.findReply).toBe(1)
    expect(world.calls).toMatchObject({ fetchThread: 1, analyze: 1 })
    expect(world.calls.created).toHaveLength(2)
    const notification = (await stageRows(jobId)).find(r => r.stage === 'notification')!
    expect(notification.output).toMatchObject({ alreadyPosted: true })
  })

  it('a task page created just before a crash is found by its marker, not created twice', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld()
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '600.1') as { jobId: string }
    const job = await claimDueJob({ workerId: 'w/1/0', leaseMs: settings.leaseMs })
    await runJob(job!, {
      services: world.services, workerId: 'w/1/0',
      hold: async (point) => {
        if (point === 'task_creation:after-create') throw new Error('simulated crash')
      },
    })
    // State as a kill -9 after Notion answered leaves it: intent row pending, page exists.
    await t.db.update(discubotJobs).set({ status: 'processing', lockedUntil: new Date(Date.now() - 1), leaseToken: 'dead' }).where(eq(discubotJobs.id, jobId))
    expect(world.calls.created).toHaveLength(1)
    expect(await runNext(world.services, settings)).toBe('completed')
    expect(world.calls.created).toHaveLength(2)
    expect(world.calls.findExisting).toBe(1)
    const tasks = await t.db.select().from(discubotTasks)
    expect(tasks).toHaveLength(2)
    expect(new Set(tasks.map(task => task.notionPageId)).size).toBe(2)
  })
})

describe('webhook hand-off', () => {
  it('concurrent deliveries of one event make one job; a delivery after cleanup makes none', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const results = await Promise.all(Array.from({ length: 5 }, () => queueSlackJob(team.id, config.id, '1100.1', 'Ev-same')))
    expect(results.filter(r => r.status === 'accepted')).toHaveLength(1)
    const jobId = (results.find(r => r.status === 'accepted') as { jobId: string }).jobId
    expect(results.every(r => r.jobId === jobId)).toBe(true)
    expect(await t.db.$count(discubotJobs)).toBe(1)
    const [event] = await t.db.select().from(discubotWebhookEvents)
    expect(event).toMatchObject({ jobId, redeliveries: 4 })

    await t.db.delete(discubotJobs).where(eq(discubotJobs.id, jobId))
    expect(await queueSlackJob(team.id, config.id, '1100.1', 'Ev-same')).toEqual({ status: 'duplicate', jobId: null })
    expect(await t.db.$count(discubotJobs)).toBe(0)
  })
})

describe('leases', () => {
  it('a worker that lost its lease cannot write over the new owner (fencing)', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '700.1') as { jobId: string }
    const { promise: paused, resolve: release } = Promise.withResolvers<undefined>()
    const staleWorld = fakeWorld({ onFetch: () => paused })
    const stale = await claimDueJob({ workerId: 'a/1/0', leaseMs: settings.leaseMs })
    const staleRun = runJob(stale!, { services: staleWorld.services, workerId: 'a/1/0', hold: async () => {} })
    await new Promise(resolve => setTimeout(resolve, 50))

    // The lease runs out (as if the worker was paused) and worker b takes the job and finishes it.
    await t.db.update(discubotJobs).set({ lockedUntil: new Date(Date.now() - 1) }).where(eq(discubotJobs.id, jobId))
    const freshWorld = fakeWorld()
    expect(await runNext(freshWorld.services, settings, { workerId: 'b/1/0' })).toBe('completed')
    const finished = await jobRow(jobId)

    release(undefined)
    expect(await staleRun).toBe('lease_lost')
    expect(await jobRow(jobId)).toEqual(finished)
    const threadRow = (await stageRows(jobId)).find(r => r.stage === 'thread_building')!
    expect(threadRow.workerId).toBe('b/1/0')
  })

  it('runs jobs of one thread one at a time', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    await queueSlackJob(team.id, config.id, '800.1', 'Ev-a')
    await queueSlackJob(team.id, config.id, '800.1', 'Ev-b')
    await queueSlackJob(team.id, config.id, '800.2', 'Ev-c')
    const first = await claimDueJob({ workerId: 'w/1/0', leaseMs: 5000 })
    const second = await claimDueJob({ workerId: 'w/1/1', leaseMs: 5000 })
    const third = await claimDueJob({ workerId: 'w/1/2', leaseMs: 5000 })
    expect(first!.threadKey).not.toBe(second!.threadKey)
    expect(third).toBeUndefined()
  })

  it('never hands one job to two concurrent claimers', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    for (let i = 0; i < 20; i++) await queueSlackJob(team.id, config.id, `900.${i}`)
    const claims = await Promise.all(Array.from({ length: 40 }, (_, i) => claimDueJob({ workerId: `w/1/${i}`, leaseMs: 5000 })))
    const ids = claims.filter(Boolean).map(job => job!.id)
    expect(ids).toHaveLength(20)
    expect(new Set(ids).size).toBe(20)
  })
})

describe('resume', () => {
  it.each(STAGES)('a job interrupted at %s resumes there: earlier stages are not run again', async (interrupted) => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld()
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '1000.1') as { jobId: string }
    let interruptedOnce = false
    const hold = async (point: string) => {
      if (point === `${interrupted}:start` && !interruptedOnce) {
        interruptedOnce = true
        throw new TransientError('connection reset')
      }
    }
    expect(await runNext(world.services, settings, { hold })).toBe('retrying')
    expect((await jobRow(jobId)).stage).toBe(interrupted)
    expect(await runNext(world.services, settings, { hold, now: new Date(Date.now() + 60_000) })).toBe('completed')

    const attempts = Object.fromEntries((await stageRows(jobId)).map(r => [r.stage, r.attempts]))
    expect(attempts).toEqual(Object.fromEntries(STAGES.map(s => [s, s === interrupted ? 2 : 1])))
    expect(world.calls).toMatchObject({ fetchThread: 1, analyze: 1 })
    expect(world.calls.created).toHaveLength(2)
    expect(world.calls.posted).toHaveLength(1)
  })
})
