// Job controls on a real database with the real runner: discard (out of the Failed view and
// counts, its discussion not retryable until a new mention), cancel (a pending job at once, a
// running one at its next stage), retry with "fetch again" / "analyse again", the retry of a job
// that failed before its discussion existed, and task intents that end failed with their job.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, throwing, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { countDiscubotJobsByStatus, listDiscubotJobs } from '#layers/discubot/collections/jobs/server/database/queries'
import { countFleetJobsByStatus } from '#layers/discubot/collections/jobs/server/database/stats'
import { updateDiscubotConfig } from '#layers/discubot/collections/configs/server/database/queries'
import { createDiscubotUser } from '#layers/discubot/collections/teams/server/database/queries'
import { jobListQuerySchema } from '#layers/discubot/shared/list-query'
import { retryDiscussion, retryJob } from '#layers/discubot/server/pipeline/retry'
import { discardJob, discardJobs } from '#layers/discubot/server/pipeline/discard'
import { cancelJob } from '#layers/discubot/server/pipeline/cancel'
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

async function discussionOf(jobId: string) {
  const [row] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, (await job(jobId)).discussionId!))
  return row!
}

/** A job that fails for good at thread building (the source refuses). */
async function failedJob(teamId: string, configId: string, threadTs: string) {
  const world = fakeWorld({ onFetch: throwing(new PermanentError('Slack conversations.replies failed: channel_not_found')) })
  const { jobId } = await queueSlackJob(teamId, configId, threadTs) as { jobId: string }
  expect(await runNext(world.services, testSettings())).toBe('failed')
  return jobId
}

describe('discard', () => {
  it('takes a failed job out of the Failed view and every count, keeps it under Discarded, and refuses a retry until a new mention', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const jobId = await failedJob(team.id, config.id, '1.1')
    const list = (query: Record<string, string>) => listDiscubotJobs(team.id, jobListQuerySchema.parse(query))
    expect((await list({ status: 'failed' })).items.map(j => j.id)).toEqual([jobId])

    expect(await discardJob({ teamId: team.id, jobId, userId: 'u1' })).toEqual({ jobId, discarded: true })
    expect(await discardJob({ teamId: team.id, jobId, userId: 'u1' })).toEqual({ jobId, discarded: false })
    expect((await list({ status: 'failed' })).items).toEqual([])
    expect((await list({})).items).toEqual([])
    expect((await list({ discarded: 'true' })).items.map(j => j.id)).toEqual([jobId])
    expect(await countDiscubotJobsByStatus(team.id)).toMatchObject({ failed: 0 })
    expect(await countFleetJobsByStatus()).toMatchObject({ failed: 0 })
    expect(await job(jobId)).toMatchObject({ status: 'failed', discardedBy: 'u1', discardedAt: expect.any(Date) })

    const discussion = await discussionOf(jobId)
    await expect(retryDiscussion({ teamId: team.id, discussionId: discussion.id, userId: 'u1' })).rejects.toMatchObject({ statusCode: 422, message: expect.stringMatching(/discarded/) })
    await expect(retryJob({ teamId: team.id, jobId, userId: 'u1' })).rejects.toMatchObject({ statusCode: 422 })

    // A new mention of the thread is a new job on the same discussion; when that one fails, a retry is possible again.
    const { jobId: next } = await queueSlackJob(team.id, config.id, '1.1', 'Ev-new-mention') as { jobId: string }
    const world = fakeWorld({ onFetch: throwing(new PermanentError('still refused')) })
    expect(await runNext(world.services, testSettings())).toBe('failed')
    expect((await job(next)).discussionId).toBe(discussion.id)
    expect((await retryDiscussion({ teamId: team.id, discussionId: discussion.id, userId: 'u1' })).created).toBe(true)
  })

  it('answers 422 for a job that did not fail and 404 for another team\'s; bulk reports each', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const other = await seedTeamWithSlackConfig(t.db, 'team-b')
    const { jobId: done } = await queueSlackJob(team.id, config.id, '2.1') as { jobId: string }
    expect(await runNext(fakeWorld().services, testSettings())).toBe('completed')
    const failed = await failedJob(team.id, config.id, '2.2')

    await expect(discardJob({ teamId: team.id, jobId: done, userId: 'u1' })).rejects.toMatchObject({ statusCode: 422, message: 'Only a failed job can be discarded; this one is completed' })
    await expect(discardJob({ teamId: other.team.id, jobId: failed, userId: 'u1' })).rejects.toMatchObject({ statusCode: 404 })
    expect((await discardJobs({ teamId: team.id, ids: [failed, done, 'nope'], userId: 'u1' })).results).toEqual([
      { jobId: failed, discarded: true },
      { jobId: done, error: expect.stringMatching(/completed/), statusCode: 422 },
      { jobId: 'nope', error: 'Job not found', statusCode: 404 },
    ])
  })
})

describe('cancel', () => {
  it('fails a delayed job at once, "Cancelled by <name>", and leaves its discussion retryable', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const user = await createDiscubotUser({ email: 'dana@example.com', name: 'Dana Lee' })
    // A transient failure at thread building: the job waits for its next attempt.
    const world = fakeWorld({ onFetch: throwing(new Error('Slack is slow today')) })
    const { jobId } = await queueSlackJob(team.id, config.id, '3.1') as { jobId: string }
    expect(await runNext(world.services, testSettings({ retryBaseMs: 60_000, retryMaxMs: 60_000 }))).toBe('retrying')
    expect(await job(jobId)).toMatchObject({ status: 'pending', stage: 'thread_building' })

    expect(await cancelJob({ teamId: team.id, jobId, userId: user.id })).toEqual({ status: 'cancelled', jobId })
    expect(await job(jobId)).toMatchObject({ status: 'failed', error: 'Cancelled by Dana Lee', cancelRequestedBy: user.id, lockedBy: null })
    const [stage] = await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, jobId)).then(rows => rows.filter(r => r.stage === 'thread_building'))
    expect(stage).toMatchObject({ status: 'failed', error: 'Cancelled by Dana Lee', attempts: 1 })
    expect(stage!.attemptLog).toHaveLength(1)
    expect(await discussionOf(jobId)).toMatchObject({ status: 'failed', error: 'Cancelled by Dana Lee' })
    expect((await retryJob({ teamId: team.id, jobId, userId: user.id })).created).toBe(true)

    await expect(cancelJob({ teamId: team.id, jobId, userId: user.id })).rejects.toMatchObject({ statusCode: 422, message: 'Only a pending or running job can be cancelled; this one is failed' })
    await expect(cancelJob({ teamId: team.id, jobId: 'nope', userId: user.id })).rejects.toMatchObject({ statusCode: 404 })
  })

  it('stops a running job at its next stage: the stage under way finishes, nothing after it runs', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const user = await createDiscubotUser({ email: 'lee@example.com', name: 'Lee' })
    const { jobId } = await queueSlackJob(team.id, config.id, '4.1') as { jobId: string }
    let answer: Awaited<ReturnType<typeof cancelJob>> | undefined
    const world = fakeWorld({
      // Cancel while thread building runs on a worker.
      onFetch: async () => {
        answer = await cancelJob({ teamId: team.id, jobId, userId: user.id })
      },
    })
    expect(await runNext(world.services, testSettings())).toBe('failed')
    expect(answer).toEqual({ status: 'cancelling', jobId, message: 'It is being worked on; it will stop at the next stage' })
    expect(world.calls.fetchThread).toBe(1)
    expect(world.calls.analyze).toBe(0)
    const stages = await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, jobId))
    expect(Object.fromEntries(stages.map(s => [s.stage, s.status]))).toMatchObject({ thread_building: 'completed', ai_analysis: 'failed' })
    expect(await job(jobId)).toMatchObject({ status: 'failed', error: 'Cancelled by Lee' })
  })
})

describe('retry with options', () => {
  async function completedThenFailedAtNotification(teamId: string, configId: string) {
    let refuse = true
    const world = fakeWorld({ onPost: throwing(new PermanentError('Slack chat.postMessage failed: not_in_channel'), () => refuse) })
    const { jobId } = await queueSlackJob(teamId, configId, '5.1') as { jobId: string }
    expect(await runNext(world.services, testSettings())).toBe('failed')
    refuse = false
    return { world, jobId }
  }

  it('reuses the stored thread and analysis by default, and fetches or analyses again when asked', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const { world, jobId } = await completedThenFailedAtNotification(team.id, config.id)
    expect(world.calls).toMatchObject({ fetchThread: 1, analyze: 1 })
    const discussionId = (await job(jobId)).discussionId!

    const plain = await retryDiscussion({ teamId: team.id, discussionId, userId: 'u1' })
    expect(await runNext(world.services, testSettings())).toBe('completed')
    expect(world.calls).toMatchObject({ fetchThread: 1, analyze: 1 })
    expect((await job(plain.jobId)).metadata).not.toHaveProperty('refetchThread')

    // Make it fail again at notification, then retry with both options through the job.
    const again = fakeWorld({ onPost: throwing(new PermanentError('not_in_channel')) })
    const { jobId: second } = await queueSlackJob(team.id, config.id, '5.1', 'Ev-second') as { jobId: string }
    expect(await runNext(again.services, testSettings())).toBe('failed')
    const refetched = await retryJob({ teamId: team.id, jobId: second, userId: 'u1', options: { refetchThread: true, reanalyze: true } })
    expect((await job(refetched.jobId)).metadata).toMatchObject({ isRetry: true, refetchThread: true, reanalyze: true })
    const world2 = fakeWorld()
    expect(await runNext(world2.services, testSettings())).toBe('completed')
    expect(world2.calls).toMatchObject({ fetchThread: 1, analyze: 1 })
    // The analysis found the same tasks: their pages already exist, none is created twice.
    expect(await t.db.$count(discubotTasks, eq(discubotTasks.discussionId, discussionId))).toBe(2)
    expect(world2.calls.created).toEqual([])
  })

  it('retries a job that failed before its discussion existed from the delivery it stored', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    await updateDiscubotConfig(team.id, config.id, { active: false })
    const { jobId } = await queueSlackJob(team.id, config.id, '6.1') as { jobId: string }
    expect(await runNext(fakeWorld().services, testSettings())).toBe('failed')
    expect(await job(jobId)).toMatchObject({ status: 'failed', stage: 'config_loading', discussionId: null })

    await updateDiscubotConfig(team.id, config.id, { active: true })
    const first = await retryJob({ teamId: team.id, jobId, userId: 'u1' })
    expect(await retryJob({ teamId: team.id, jobId, userId: 'u1' })).toEqual({ jobId: first.jobId, created: false })
    expect(await job(first.jobId)).toMatchObject({ retryOfJobId: jobId, payload: (await job(jobId)).payload, createdBy: 'u1' })
    expect(await runNext(fakeWorld().services, testSettings())).toBe('completed')
    expect(await job(first.jobId)).toMatchObject({ status: 'completed', discussionId: expect.any(String) })
  })
})

describe('task intents', () => {
  it('end failed, not pending forever, when their job fails for good; a later retry creates the page', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({ onCreate: throwing(new PermanentError('Notion rejected the page (400 validation_error)')) })
    const { jobId } = await queueSlackJob(team.id, config.id, '7.1') as { jobId: string }
    expect(await runNext(world.services, testSettings())).toBe('failed')
    const tasks = await t.db.select().from(discubotTasks).where(eq(discubotTasks.jobId, jobId))
    expect(tasks.map(task => task.status)).toEqual(['failed'])

    const discussionId = (await job(jobId)).discussionId!
    await retryDiscussion({ teamId: team.id, discussionId, userId: 'u1' })
    expect(await runNext(fakeWorld().services, testSettings())).toBe('completed')
    const after = await t.db.select().from(discubotTasks).where(eq(discubotTasks.discussionId, discussionId))
    expect(after.map(task => task.status)).toEqual(['created', 'created'])
  })
})
