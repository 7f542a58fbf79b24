// Live stage progress on a real database: stages report pages and tasks through ctx.progress, the
// rows carry the fraction and the last messages while the stage runs (throttled, fenced) and
// after it completes (flushed with the checkpoint); a scheduled retry says until when it waits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, throwing, queueSlackJob, runNext, sampleAnalysis, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { claimDueJob, leaseFence, markStageRunning, recordStageProgress } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import { progressReporter, stageMessage, KEPT_MESSAGES } from '#layers/discubot/server/pipeline/progress'
import { useDb, type Write } from '#layers/discubot/server/utils/db'
import type { StageName } from '#layers/discubot/shared/domain'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

async function stageRow(jobId: string, stage: StageName) {
  const [row] = await t.db.select().from(discubotJobStages).where(and(eq(discubotJobStages.jobId, jobId), eq(discubotJobStages.stage, stage)))
  return row!
}

describe('stage progress', () => {
  it('is visible on the stage row while the stage runs, and complete once it has finished', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const analysis = { ...sampleAnalysis, tasks: [...sampleAnalysis.tasks, { title: 'Tell support', description: '', priority: 'low' as const, assignee: null, dueDate: null }] }
    const { jobId } = await queueSlackJob(team.id, config.id, '1.1') as { jobId: string }
    const seen: { progress: number | null, messages: string[] }[] = []
    const world = fakeWorld({
      analysis,
      onCreate: async (intent) => {
        // Before the second page is created, the first task's progress is on the row (the first report writes at once).
        if (intent.title !== 'Update the docs') return
        for (let i = 0; i < 100 && !(await stageRow(jobId, 'task_creation')).messages?.length; i++) await new Promise(resolve => setTimeout(resolve, 10))
        const row = await stageRow(jobId, 'task_creation')
        seen.push({ progress: row.progress, messages: (row.messages ?? []).map(m => m.text) })
      },
    })
    expect(await runNext(world.services, testSettings())).toBe('completed')

    expect(seen).toEqual([{ progress: 1 / 3, messages: ['task 1 of 3 created'] }])
    const done = await stageRow(jobId, 'task_creation')
    expect(done.status).toBe('completed')
    expect(done.progress).toBe(1)
    expect(done.messages!.map(m => m.text)).toEqual(['task 1 of 3 created', 'task 2 of 3 created', 'task 3 of 3 created'])
    expect((await stageRow(jobId, 'thread_building')).messages!.map(m => m.text)).toEqual(['thread fetched: 2 messages'])
    expect((await stageRow(jobId, 'ai_analysis')).messages!.map(m => m.text)).toEqual(['analysing 2 messages with fake'])
  })

  it('says until when a stage waits for its retry, and starts the next attempt at 0 keeping the history', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    let fail = true
    const world = fakeWorld({ onFetch: throwing(new Error('Slack answered 503'), () => fail) })
    const { jobId } = await queueSlackJob(team.id, config.id, '2.1') as { jobId: string }
    const settings = testSettings({ retryBaseMs: 60_000, retryMaxMs: 60_000 })
    expect(await runNext(world.services, settings)).toBe('retrying')
    const waiting = await stageRow(jobId, 'thread_building')
    expect(waiting.status).toBe('retrying')
    expect(waiting.messages!.map(m => m.text)).toEqual([expect.stringMatching(/^waiting for retry until \d{4}-\d\d-\d\dT/)])

    fail = false
    expect(await runNext(world.services, settings, { now: new Date(Date.now() + 120_000) })).toBe('completed')
    const done = await stageRow(jobId, 'thread_building')
    expect(done.messages!.map(m => m.text)).toEqual([expect.stringMatching(/^waiting for retry until/), 'thread fetched: 2 messages'])
  })

  it('writes at most once per window, keeps the last messages, and never touches a stage that stopped running', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    await queueSlackJob(team.id, config.id, '3.1')
    const settings = testSettings()
    const job = (await claimDueJob({ workerId: 'w', leaseMs: settings.leaseMs }))!
    const fenced = (writes: Write[]) => useDb().batch([leaseFence(job.id, job.leaseToken!), ...writes]).then(() => {})
    const now = new Date()
    await fenced(markStageRunning(job, 'ingestion', { attempt: 1, attemptLog: [], firstStartedAt: now, startedAt: now, leaseToken: job.leaseToken!, workerId: 'w' }))

    const progress = progressReporter(job, 'ingestion', [], fenced)
    for (let i = 1; i <= 12; i++) progress.report(i / 12, `step ${i}`)
    // The first report was written at once; the rest wait for the window or the checkpoint.
    for (let i = 0; i < 100 && !(await stageRow(job.id, 'ingestion')).messages?.length; i++) await new Promise(resolve => setTimeout(resolve, 10))
    expect((await stageRow(job.id, 'ingestion')).messages!.map(m => m.text)).toEqual(['step 1'])
    const [statement] = progress.flush()
    expect(progress.flush()).toEqual([])
    await fenced([statement!])
    const row = await stageRow(job.id, 'ingestion')
    expect(row.progress).toBe(1)
    expect(row.messages!.map(m => m.text)).toEqual(Array.from({ length: KEPT_MESSAGES }, (_, i) => `step ${12 - KEPT_MESSAGES + 1 + i}`))

    // Once the stage is no longer running, a late progress write changes nothing.
    await t.db.update(discubotJobStages).set({ status: 'completed' }).where(eq(discubotJobStages.id, row.id))
    await fenced([recordStageProgress(job, 'ingestion', 0.5, [stageMessage('late')])])
    expect(await stageRow(job.id, 'ingestion')).toMatchObject({ progress: 1, messages: row.messages })
  })
})
