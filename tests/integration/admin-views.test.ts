import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { seedJob, seedTeam, setCreatedAt } from '../support/seed-rows'
import { seedFailedDiscussion } from '../support/seed-admin'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { getDiscubotJobsPerDay, getDiscubotStageDurations, lastDays } from '#layers/discubot/collections/jobs/server/database/stats'
import { getJobDetail } from '#layers/discubot/server/admin/job-detail'
import { getDiscussionDetail } from '#layers/discubot/server/admin/discussion-detail'
import { getOverview } from '#layers/discubot/server/admin/overview'
import { getSchedules } from '#layers/discubot/server/admin/schedules'
import { previewRetryMatching, retryMatching } from '#layers/discubot/server/admin/retry-matching'
import { getInstanceSettings, updateInstanceSettings } from '#layers/discubot/server/admin/instance-settings'
import { savedRetentionDays } from '#layers/discubot/server/timers/cleanup'
import { createTeamConfig, listTeamConfigs, updateTeamConfig } from '#layers/discubot/server/admin/configs'
import { retryDiscussion } from '#layers/discubot/server/pipeline/retry'
import { ensureCleanupTimer } from '#layers/discubot/server/timers/cleanup-timer'
import { testSettings } from '../support/engine-fixtures'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

describe('overview stats', () => {
  it('counts jobs per UTC day by status, zero-filled, with failed / finished as the failure rate', async () => {
    const team = await seedTeam(t.db, 'a')
    const other = await seedTeam(t.db, 'b')
    const now = new Date(Date.UTC(2026, 0, 14, 12))
    const day = (d: number, hour = 10) => new Date(Date.UTC(2026, 0, d, hour))
    const rows: [number, 'completed' | 'failed' | 'pending'][] = [[14, 'completed'], [14, 'completed'], [14, 'failed'], [13, 'failed'], [12, 'pending'], [1, 'completed'], [1, 'failed']]
    for (const [i, [d, status]] of rows.entries()) {
      const job = await seedJob(t.db, team.id, `s${i}`, { status })
      await setCreatedAt(t.db, 'jobs', job.id, day(d))
    }
    const foreign = await seedJob(t.db, other.id, 'x', { status: 'failed' })
    await setCreatedAt(t.db, 'jobs', foreign.id, day(14))

    const perDay = await getDiscubotJobsPerDay(team.id, 14, now)
    expect(perDay.map(d => d.day)).toEqual(lastDays(14, now))
    expect(perDay[0]!.day).toBe('2026-01-01')
    expect(perDay.at(-1)).toEqual({ day: '2026-01-14', pending: 0, processing: 0, completed: 2, failed: 1, total: 3, failureRate: 1 / 3 })
    expect(perDay.find(d => d.day === '2026-01-13')).toMatchObject({ failed: 1, failureRate: 1 })
    expect(perDay.find(d => d.day === '2026-01-12')).toMatchObject({ pending: 1, failureRate: null })
    expect(perDay.find(d => d.day === '2026-01-05')).toMatchObject({ total: 0, failureRate: null })
    expect(perDay[0]).toMatchObject({ completed: 1, failed: 1, failureRate: 0.5 })
  })

  it('ranks stages by average duration of completed runs', async () => {
    const team = await seedTeam(t.db, 'a')
    const base = new Date()
    const durations: [string, 'ingestion' | 'ai_analysis', number][] = [['j1', 'ingestion', 10], ['j1', 'ai_analysis', 900], ['j2', 'ai_analysis', 1100], ['j2', 'ingestion', 30]]
    const jobs = new Map<string, string>()
    for (const [key, stage, ms] of durations) {
      if (!jobs.has(key)) jobs.set(key, (await seedJob(t.db, team.id, key)).id)
      await t.db.insert(discubotJobStages).values({
        teamId: team.id, jobId: jobs.get(key)!, stage, status: 'completed', attempts: 1,
        startedAt: base, completedAt: new Date(base.getTime() + ms), durationMs: stage === 'ingestion' ? null : ms,
        createdBy: 'system', updatedBy: 'system',
      })
    }
    const ranked = await getDiscubotStageDurations(team.id, new Date(base.getTime() - 60_000))
    expect(ranked).toEqual([
      { stage: 'ai_analysis', runs: 2, avgMs: 1000, maxMs: 1100 },
      { stage: 'ingestion', runs: 2, avgMs: 20, maxMs: 30 },
    ])
    const overview = await getOverview(team.id)
    expect(overview.slowestStage).toEqual(ranked[0])
    expect(overview.jobs).toEqual({ pending: 2, processing: 0, completed: 0, failed: 0 })
    expect(overview.queue.pending).toBe(2)
  })
})

describe('detail views', () => {
  it('a job shows its stages in pipeline order and one hop of its retry chain each way, never the lease token', async () => {
    const team = await seedTeam(t.db, 'a')
    const { discussion, job } = await seedFailedDiscussion(t.db, team.id, '1.1', { stage: 'ai_analysis' })
    await t.db.update(discubotJobs).set({ leaseToken: 'fence-secret' }).where(eq(discubotJobs.id, job.id))
    const { jobId } = await retryDiscussion({ teamId: team.id, discussionId: discussion.id, userId: 'u1' })

    const detail = (await getJobDetail(team.id, job.id))!
    expect(detail.stages.map(s => s.stage)).toEqual(['ingestion', 'config_loading', 'thread_building', 'ai_analysis'])
    expect(detail.stages.at(-1)).toMatchObject({ status: 'failed', attempts: 2 })
    expect(detail.stages.at(-1)!.attemptLog).toHaveLength(2)
    expect(detail.retries.map(r => r.id)).toEqual([jobId])
    expect(detail.retryOf).toBeNull()
    expect(detail.discussion).toMatchObject({ id: discussion.id, status: 'pending' })
    expect(JSON.stringify(detail)).not.toContain('fence-secret')

    const retry = (await getJobDetail(team.id, jobId))!
    expect(retry.retryOf?.id).toBe(job.id)
    expect(retry.retryOf?.title).toBe('Thread 1.1')

    const discussionDetail = (await getDiscussionDetail(team.id, discussion.id))!
    expect(discussionDetail.jobs.map(j => j.id)).toEqual([jobId, job.id])
  })

  it('another team\'s ids read as missing', async () => {
    const a = await seedTeam(t.db, 'a')
    const b = await seedTeam(t.db, 'b')
    const { discussion, job } = await seedFailedDiscussion(t.db, a.id, '1.1')
    expect(await getJobDetail(b.id, job.id)).toBeUndefined()
    expect(await getDiscussionDetail(b.id, discussion.id)).toBeUndefined()
    expect(await previewRetryMatching(b.id, {})).toMatchObject({ jobs: 0, discussions: 0 })
  })
})

describe('retry all matching', () => {
  it('previews, then retries each still-failed discussion behind the matching failed jobs once', async () => {
    const team = await seedTeam(t.db, 'a')
    const seeded = []
    for (const [i, error] of ['Notion 400 validation_error', 'Notion 400 validation_error', 'Slack channel_not_found'].entries()) {
      seeded.push(await seedFailedDiscussion(t.db, team.id, `m${i}`, { error, stage: error.startsWith('Notion') ? 'task_creation' : 'thread_building' }))
    }
    // A second failed job on the first discussion: still one retry for it.
    await seedJob(t.db, team.id, 'm0', { status: 'failed', stage: 'task_creation', discussionId: seeded[0]!.discussion.id, error: 'Notion 400 validation_error' })

    expect(await previewRetryMatching(team.id, { q: 'notion' })).toMatchObject({ jobs: 3, discussions: 2 })
    expect(await previewRetryMatching(team.id, { stage: 'thread_building' })).toMatchObject({ jobs: 1, discussions: 1 })

    const result = await retryMatching(team.id, { q: 'notion' }, 'u1')
    expect(result).toMatchObject({ retried: 2, failed: 0, remaining: 0 })
    const statuses = await t.db.select({ id: discubotDiscussions.id, status: discubotDiscussions.status }).from(discubotDiscussions)
    expect(Object.fromEntries(statuses.map(s => [s.id, s.status]))).toEqual({
      [seeded[0]!.discussion.id]: 'pending',
      [seeded[1]!.discussion.id]: 'pending',
      [seeded[2]!.discussion.id]: 'failed',
    })
    expect(await previewRetryMatching(team.id, { q: 'notion' })).toMatchObject({ jobs: 3, discussions: 0 })
  })
})

describe('schedules', () => {
  it('lists backing-off jobs and expired leases of the team, and system timers', async () => {
    const a = await seedTeam(t.db, 'a')
    const b = await seedTeam(t.db, 'b')
    const now = new Date()
    const later = await seedJob(t.db, a.id, 'later', { runAt: new Date(now.getTime() + 60_000) })
    await seedJob(t.db, a.id, 'due', { runAt: new Date(now.getTime() - 1000) })
    const stale = await seedJob(t.db, a.id, 'stale', { status: 'processing', lockedBy: 'host:3000/w1', lockedUntil: new Date(now.getTime() - 5000) })
    await seedJob(t.db, a.id, 'live', { status: 'processing', lockedBy: 'host:3000/w2', lockedUntil: new Date(now.getTime() + 5000) })
    await seedJob(t.db, b.id, 'foreign', { runAt: new Date(now.getTime() + 60_000) })
    await ensureCleanupTimer(testSettings())

    const schedules = await getSchedules(a.id, now)
    expect(schedules.delayedRetries.map(j => j.id)).toEqual([later.id])
    expect(schedules.staleLeases.map(j => j.id)).toEqual([stale.id])
    expect(schedules.timers.map(timer => timer.name)).toEqual(['cleanup'])
  })
})

describe('instance settings', () => {
  it('saves the retention on the cleanup timer and reports where it comes from', async () => {
    const settings = testSettings({ jobRetentionDays: 30, workerConcurrency: 3 })
    await ensureCleanupTimer(settings)
    expect(await getInstanceSettings()).toMatchObject({ jobRetentionDays: 30, jobRetentionSource: 'env', workerConcurrency: 3 })
    const saved = await updateInstanceSettings({ jobRetentionDays: 7 }, 'u1')
    expect(saved).toMatchObject({ jobRetentionDays: 7, jobRetentionSource: 'saved', envJobRetentionDays: 30 })
    // A reboot re-ensures the timer without losing the saved value.
    await ensureCleanupTimer(settings)
    expect((await getInstanceSettings()).jobRetentionDays).toBe(7)
    expect(savedRetentionDays({ params: { retentionDays: 'x' } })).toBeUndefined()
  })
})

describe('configs', () => {
  let slack: SlackStandin
  beforeAll(async () => {
    // A token set on a config is checked with Slack at once (auth.test): a local Slack answers.
    slack = await startSlackStandin({ token: 'xoxb-SECRET-3', teamId: 'T0ADMIN', botUserId: 'U0BOT' })
  })
  afterAll(() => slack.stop())
  beforeEach(() => {
    testSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 1000 })
  })

  it('never hands out a secret, and an edit keeps unchanged secrets and resets the check', async () => {
    const team = await seedTeam(t.db, 'a')
    const created = await createTeamConfig(team.id, { sourceType: 'slack', name: 'Slack', secrets: { signingSecret: 'sig-SECRET-1', botToken: 'xoxb-SECRET-2', passcode: null } }, 'u1')
    expect(created.secretsSet).toMatchObject({ signingSecret: true, botToken: true, passcode: false })
    expect(created.createdBy).toBe('u1')
    const updated = (await updateTeamConfig(team.id, created.id, { name: 'Renamed', secrets: { botToken: 'xoxb-SECRET-3', signingSecret: '' } }, 'u1'))!
    expect(updated).toMatchObject({ name: 'Renamed', validationState: 'unknown', secretsSet: { signingSecret: true, botToken: true } })
    // The new token was identified: the config now serves its own workspace.
    expect(updated).toMatchObject({ slackWorkspaceId: 'T0ADMIN', botUserId: 'U0BOT' })
    const cleared = (await updateTeamConfig(team.id, created.id, { secrets: { signingSecret: null } }, 'u1'))!
    expect(cleared.secretsSet.signingSecret).toBe(false)
    const everything = JSON.stringify(await listTeamConfigs(team.id))
    for (const secret of ['SECRET', 'secretsCiphertext']) expect(everything).not.toContain(secret)
  })
})
