// What the database itself refuses, whatever code writes to it: CHECKs, foreign keys, JSON
// validity, delete rules, team isolation, concurrent inserts, the lease fence and sealed secrets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { discussionInput, seedDiscussion, seedJob, seedStage, seedTask, seedTeam } from '../support/seed-rows'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotConfigs } from '#layers/discubot/collections/configs/server/database/schema'
import { discubotTeams } from '#layers/discubot/collections/teams/server/database/schema'
import { discubotWebhookEvents } from '#layers/discubot/collections/webhook-events/server/database/schema'
import { discubotTimers } from '#layers/discubot/collections/timers/server/database/schema'
import {
  countDiscubotDiscussionsByStatus,
  getDiscubotDiscussionByThread,
  getDiscubotDiscussionsByIds,
  listDiscubotDiscussions,
  updateDiscubotDiscussion,
} from '#layers/discubot/collections/discussions/server/database/queries'
import {
  countDiscubotJobs,
  countDiscubotJobsByStatus,
  createDiscubotJob,
  getDiscubotJobsByDiscussion,
  getDiscubotJobsByIds,
  getDiscubotJobStages,
  getDiscubotQueueStats,
  listDiscubotJobs,
  updateDiscubotJob,
} from '#layers/discubot/collections/jobs/server/database/queries'
import {
  countDiscubotTasks,
  getDiscubotTasksByDiscussion,
  getDiscubotTasksByIds,
  listDiscubotTasks,
  updateDiscubotTask,
} from '#layers/discubot/collections/tasks/server/database/queries'
import {
  createDiscubotConfig,
  getDiscubotConfigsByIds,
  listDiscubotConfigs,
  readConfigSecrets,
  readConfigSecretsState,
  toPublicConfig,
  updateDiscubotConfig,
} from '#layers/discubot/collections/configs/server/database/queries'
import { isLeaseLostError, leaseFence } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import { addDiscubotTeamMember, createDiscubotUser, getDiscubotMembership } from '#layers/discubot/collections/teams/server/database/queries'
import { discussionListQuerySchema, jobListQuerySchema, taskListQuerySchema } from '#layers/discubot/shared/list-query'
import { SECRET_FIELDS } from '#layers/discubot/shared/schemas'

let temp: TempDb
beforeEach(async () => {
  temp = await createTempDb()
})
afterEach(() => temp.cleanup())

const raw = (statement: string, args: (string | number | null)[] = []) => useDbClient().execute({ sql: statement, args })
/** Drizzle wraps driver errors ("Failed query: …"); the database's own message is in the cause chain. */
async function failure(work: Promise<unknown>): Promise<{ messages: string, names: string[] }> {
  const error = await work.then(() => undefined, (e: unknown) => e)
  if (!error) throw new Error('expected the write to fail, it succeeded')
  const chain: { message?: string, name?: string }[] = []
  for (let e = error as { message?: string, name?: string, cause?: unknown } | undefined; e && chain.length < 6; e = e.cause as typeof e) chain.push(e)
  return { messages: chain.map(e => e.message).join('\n'), names: chain.map(e => String(e.name)) }
}
const rowCount = async (table: string, where = '1', args: (string | number | null)[] = []) =>
  Number((await raw(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, args)).rows[0]!.n)

describe('CHECK constraints on raw SQL writes', () => {
  async function rawJob(overrides: Record<string, string | number | null> = {}) {
    const team = await seedTeam(temp.db, `t${Math.random()}`)
    const now = Date.now()
    const row: Record<string, string | number | null> = {
      id: crypto.randomUUID(), team_id: team.id, source_type: 'slack', status: 'pending', stage: 'ingestion', thread_key: 'k',
      payload: '{}', run_at: now, metadata: '{}', created_by: 'system', updated_by: 'system', created_at: now, updated_at: now,
      ...overrides,
    }
    const columns = Object.keys(row)
    return raw(`INSERT INTO discubot_jobs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, Object.values(row))
  }

  it('accepts a well-formed raw row (so the rejections below are about the one bad value)', async () => {
    await rawJob()
    expect(await rowCount('discubot_jobs')).toBe(1)
  })

  it.each([
    ['status', 'queued', 'discubot_jobs_status_check'],
    ['stage', 'publishing', 'discubot_jobs_stage_check'],
    ['source_type', 'discord', 'discubot_jobs_source_type_check'],
    ['status', 'PENDING', 'discubot_jobs_status_check'],
  ])('rejects job %s = %s', async (column, value, constraint) => {
    await expect(rawJob({ [column]: value })).rejects.toThrow(new RegExp(`CHECK constraint failed: ${constraint}`))
  })

  it('rejects a bad status on update and on the other tables', async () => {
    const team = await seedTeam(temp.db, 'a')
    const discussion = await seedDiscussion(temp.db, team.id, '1.0')
    const job = await seedJob(temp.db, team.id, '1.0')
    const task = await seedTask(temp.db, team.id, discussion.id, 0)
    const stage = await seedStage(temp.db, team.id, job.id, 'ingestion')
    await expect(raw(`UPDATE discubot_jobs SET status = 'done' WHERE id = ?`, [job.id])).rejects.toThrow(/CHECK constraint failed: discubot_jobs_status_check/)
    await expect(raw(`UPDATE discubot_discussions SET status = 'archived' WHERE id = ?`, [discussion.id])).rejects.toThrow(/CHECK constraint failed: discubot_discussions_status_check/)
    await expect(raw(`UPDATE discubot_discussions SET source_type = 'teams' WHERE id = ?`, [discussion.id])).rejects.toThrow(/CHECK constraint failed: discubot_discussions_source_type_check/)
    await expect(raw(`UPDATE discubot_tasks SET status = 'done' WHERE id = ?`, [task.id])).rejects.toThrow(/CHECK constraint failed: discubot_tasks_status_check/)
    await expect(raw(`UPDATE discubot_tasks SET priority = 'p0' WHERE id = ?`, [task.id])).rejects.toThrow(/CHECK constraint failed: discubot_tasks_priority_check/)
    await expect(raw(`UPDATE discubot_job_stages SET stage = 'done' WHERE id = ?`, [stage.id])).rejects.toThrow(/CHECK constraint failed: discubot_job_stages_stage_check/)
    await expect(raw(`UPDATE discubot_job_stages SET status = 'skipped' WHERE id = ?`, [stage.id])).rejects.toThrow(/CHECK constraint failed: discubot_job_stages_status_check/)
    expect((await getDiscubotJobsByIds(team.id, [job.id]))[0]!.status).toBe('pending')
  })

  it('rejects malformed JSON written by raw SQL (json_valid CHECK)', async () => {
    await expect(rawJob({ payload: '{"title": ' })).rejects.toThrow(/CHECK constraint failed: discubot_jobs_payload_json/)
    await expect(rawJob({ metadata: 'not json' })).rejects.toThrow(/CHECK constraint failed: discubot_jobs_metadata_json/)
    const team = await seedTeam(temp.db, 'a')
    const discussion = await seedDiscussion(temp.db, team.id, '1.0')
    for (const column of ['thread_ref', 'thread_data', 'ai_action_items', 'ai_tasks', 'notion_task_ids']) {
      await expect(raw(`UPDATE discubot_discussions SET ${column} = '[1, 2' WHERE id = ?`, [discussion.id])).rejects.toThrow(/CHECK constraint failed: discubot_discussions_\w+_json/)
    }
    const config = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 's' })
    await expect(raw(`UPDATE discubot_configs SET slack_channel_ids = 'C1,C2' WHERE id = ?`, [config.id])).rejects.toThrow(/CHECK constraint failed: discubot_configs_slack_channel_ids_json/)
  })
})

describe('malformed JSON through drizzle (zod on write)', () => {
  it('throws before anything reaches the database', async () => {
    const team = await seedTeam(temp.db, 'a')
    const payload = discussionInput('slack', '1.0')
    const rejected = [
      await failure(createDiscubotJob({ teamId: team.id, sourceType: 'slack', threadKey: 'k', payload: { ...payload, thread: { kind: 'teams' } } as never })),
      await failure(createDiscubotJob({ teamId: team.id, sourceType: 'slack', threadKey: 'k', payload, metadata: { processingTime: 'slow' } as never })),
    ]
    expect(await rowCount('discubot_jobs')).toBe(0)

    const discussion = await seedDiscussion(temp.db, team.id, '1.0')
    rejected.push(
      await failure(updateDiscubotDiscussion(team.id, discussion.id, { threadData: { messages: 'none' } as never })),
      await failure(updateDiscubotDiscussion(team.id, discussion.id, { aiTasks: [{ title: '' }] as never })),
      await failure(updateDiscubotDiscussion(team.id, discussion.id, { notionTaskIds: [1, 2] as never })),
    )
    for (const { names } of rejected) expect(names).toContain('ZodError')
    expect(rejected[1]!.messages).toMatch(/processingTime/)
    expect(rejected[2]!.messages).toMatch(/messages/)
    const [unchanged] = await getDiscubotDiscussionsByIds(team.id, [discussion.id])
    expect(unchanged).toMatchObject({ threadData: null, aiTasks: null, notionTaskIds: null })
  })
})

describe('foreign keys', () => {
  it('rejects a job of an unknown team and a task of an unknown discussion', async () => {
    expect((await failure(seedJob(temp.db, 'no-such-team', '1.0'))).messages).toMatch(/FOREIGN KEY constraint failed/)
    const team = await seedTeam(temp.db, 'a')
    expect((await failure(seedTask(temp.db, team.id, 'no-such-discussion', 0))).messages).toMatch(/FOREIGN KEY constraint failed/)
    expect((await failure(seedJob(temp.db, team.id, '1.0', { discussionId: 'no-such-discussion' }))).messages).toMatch(/FOREIGN KEY constraint failed/)
    expect((await failure(seedStage(temp.db, team.id, 'no-such-job', 'ingestion'))).messages).toMatch(/FOREIGN KEY constraint failed/)
    const discussion = await seedDiscussion(temp.db, team.id, '1.0')
    await expect(raw(`UPDATE discubot_discussions SET sync_job_id = 'nope' WHERE id = ?`, [discussion.id])).rejects.toThrow(/FOREIGN KEY constraint failed/)
    expect(await rowCount('discubot_jobs') + await rowCount('discubot_tasks') + await rowCount('discubot_job_stages')).toBe(0)
  })

  it('is enforced on every pooled connection, not only the one that migrated', async () => {
    // The client keeps several connections; foreign_keys is per connection, so ask in parallel.
    const answers = await Promise.all(Array.from({ length: 8 }, () => raw('PRAGMA foreign_keys')))
    expect(answers.map(a => Number(a.rows[0]![0]))).toEqual(Array.from({ length: 8 }, () => 1))
  })
})

describe('delete rules', () => {
  async function seedGraph() {
    const team = await seedTeam(temp.db, 'a')
    const config = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 's' })
    const discussion = await seedDiscussion(temp.db, team.id, '1.0', { sourceConfigId: config.id })
    const job = await seedJob(temp.db, team.id, '1.0', { discussionId: discussion.id, sourceConfigId: config.id, status: 'failed' })
    const retry = await seedJob(temp.db, team.id, '1.0', { discussionId: discussion.id, retryOfJobId: job.id })
    await updateDiscubotDiscussion(team.id, discussion.id, { syncJobId: job.id })
    const tasks = [await seedTask(temp.db, team.id, discussion.id, 0, { jobId: job.id }), await seedTask(temp.db, team.id, discussion.id, 1, { jobId: job.id })]
    await seedStage(temp.db, team.id, job.id, 'ingestion')
    await seedStage(temp.db, team.id, job.id, 'config_loading')
    await seedStage(temp.db, team.id, retry.id, 'ingestion')
    const [event] = await temp.db.insert(discubotWebhookEvents).values({ teamId: team.id, source: 'slack', eventId: 'Ev1', status: 'accepted', jobId: job.id, createdBy: 'system', updatedBy: 'system' }).returning()
    await temp.db.insert(discubotTimers).values({ name: 'once-a', teamId: team.id, kind: 'once', callback: 'cleanup', nextRunAt: new Date(), createdBy: 'system', updatedBy: 'system' })
    const user = await createDiscubotUser({ email: 'a@example.com', name: 'A' })
    await addDiscubotTeamMember({ teamId: team.id, userId: user.id, role: 'owner' })
    return { team, config, discussion, job, retry, tasks, event: event!, user }
  }

  it('deleting a job keeps its discussion and tasks (links become null) and deletes its stage rows', async () => {
    const { team, discussion, job, retry, tasks, event } = await seedGraph()
    await temp.db.delete(discubotJobs).where(eq(discubotJobs.id, job.id))

    const [kept] = await getDiscubotDiscussionsByIds(team.id, [discussion.id])
    expect(kept).toMatchObject({ id: discussion.id, syncJobId: null })
    const keptTasks = await getDiscubotTasksByIds(team.id, tasks.map(t => t.id))
    expect(keptTasks).toHaveLength(2)
    expect(keptTasks.every(t => t.jobId === null)).toBe(true)
    expect(await getDiscubotJobStages(team.id, job.id)).toEqual([])
    expect(await getDiscubotJobStages(team.id, retry.id)).toHaveLength(1)
    expect((await getDiscubotJobsByIds(team.id, [retry.id]))[0]!.retryOfJobId).toBeNull()
    const [keptEvent] = await temp.db.select().from(discubotWebhookEvents).where(eq(discubotWebhookEvents.id, event.id))
    expect(keptEvent!.jobId).toBeNull()
  })

  it('deleting a config keeps discussions and jobs with the link nulled', async () => {
    const { team, config, discussion, job } = await seedGraph()
    await temp.db.delete(discubotConfigs).where(eq(discubotConfigs.id, config.id))
    expect((await getDiscubotDiscussionsByIds(team.id, [discussion.id]))[0]!.sourceConfigId).toBeNull()
    expect((await getDiscubotJobsByIds(team.id, [job.id]))[0]!.sourceConfigId).toBeNull()
  })

  it('deleting a discussion deletes its tasks and leaves its jobs unlinked', async () => {
    const { team, discussion, job } = await seedGraph()
    await temp.db.delete(discubotDiscussions).where(eq(discubotDiscussions.id, discussion.id))
    expect(await rowCount('discubot_tasks')).toBe(0)
    expect((await getDiscubotJobsByIds(team.id, [job.id]))[0]!.discussionId).toBeNull()
  })

  it('deleting a team cascades to every row of the team and leaves other teams alone', async () => {
    const { team, user } = await seedGraph()
    const other = await seedTeam(temp.db, 'b')
    const otherDiscussion = await seedDiscussion(temp.db, other.id, '9.9')
    await seedJob(temp.db, other.id, '9.9', { discussionId: otherDiscussion.id })

    await temp.db.delete(discubotTeams).where(eq(discubotTeams.id, team.id))
    for (const table of ['discubot_configs', 'discubot_discussions', 'discubot_jobs', 'discubot_job_stages', 'discubot_tasks', 'discubot_webhook_events', 'discubot_timers', 'discubot_team_members']) {
      expect(await rowCount(table, 'team_id = ?', [team.id]), table).toBe(0)
    }
    expect(await getDiscubotMembership(team.id, user.id)).toBeUndefined()
    expect(await rowCount('discubot_users')).toBe(1)
    expect(await rowCount('discubot_jobs', 'team_id = ?', [other.id])).toBe(1)
    expect(await rowCount('discubot_discussions', 'team_id = ?', [other.id])).toBe(1)
  })
})

describe('team isolation', () => {
  it('team B never sees, counts or changes team A rows', async () => {
    const a = await seedTeam(temp.db, 'a')
    const b = await seedTeam(temp.db, 'b')
    const config = await createDiscubotConfig({ teamId: a.id, sourceType: 'slack', name: 'A', secrets: { botToken: 'xoxb-a' } })
    const discussion = await seedDiscussion(temp.db, a.id, '1.0', { title: 'shared words' })
    const job = await seedJob(temp.db, a.id, '1.0', { discussionId: discussion.id, title: 'shared words' })
    await seedJob(temp.db, a.id, '2.0', { status: 'processing' })
    const task = await seedTask(temp.db, a.id, discussion.id, 0, { jobId: job.id, title: 'shared words' })
    await seedStage(temp.db, a.id, job.id, 'ingestion')

    // Team B has nothing: every read is empty, every count zero.
    expect(await getDiscubotDiscussionsByIds(b.id, [discussion.id])).toEqual([])
    expect(await getDiscubotDiscussionByThread(b.id, 'slack', discussion.sourceThreadId)).toBeUndefined()
    expect(await getDiscubotJobsByIds(b.id, [job.id])).toEqual([])
    expect(await getDiscubotJobsByDiscussion(b.id, discussion.id)).toEqual([])
    expect(await getDiscubotJobStages(b.id, job.id)).toEqual([])
    expect(await getDiscubotTasksByIds(b.id, [task.id])).toEqual([])
    expect(await getDiscubotTasksByDiscussion(b.id, discussion.id)).toEqual([])
    expect(await getDiscubotConfigsByIds(b.id, [config.id])).toEqual([])
    expect(await listDiscubotConfigs(b.id)).toEqual([])
    expect(await listDiscubotJobs(b.id, jobListQuerySchema.parse({ q: 'shared' }))).toMatchObject({ items: [], total: 0 })
    expect(await listDiscubotJobs(b.id, jobListQuerySchema.parse({ discussionId: discussion.id }))).toMatchObject({ items: [], total: 0 })
    expect(await listDiscubotDiscussions(b.id, discussionListQuerySchema.parse({}))).toMatchObject({ items: [], total: 0 })
    expect(await listDiscubotTasks(b.id, taskListQuerySchema.parse({ discussionId: discussion.id }))).toMatchObject({ items: [], total: 0 })
    expect(await countDiscubotJobs(b.id, {})).toBe(0)
    expect(await countDiscubotJobsByStatus(b.id)).toEqual({ pending: 0, processing: 0, completed: 0, failed: 0 })
    expect(await countDiscubotDiscussionsByStatus(b.id)).toEqual({ pending: 0, processing: 0, completed: 0, failed: 0 })
    expect(await countDiscubotTasks(b.id)).toBe(0)
    expect(await getDiscubotQueueStats(b.id)).toEqual({ pending: 0, processing: 0, oldestPendingAgeMs: null })

    // Team B's writes addressed at team A's ids change nothing.
    expect(await updateDiscubotDiscussion(b.id, discussion.id, { status: 'failed' })).toBeUndefined()
    expect(await updateDiscubotJob(b.id, job.id, { status: 'failed' })).toBeUndefined()
    expect(await updateDiscubotTask(b.id, task.id, { status: 'failed' })).toBeUndefined()
    expect(await updateDiscubotConfig(b.id, config.id, { name: 'stolen', secrets: { botToken: 'xoxb-b' } })).toBeUndefined()
    const [configAfter] = await getDiscubotConfigsByIds(a.id, [config.id])
    expect(configAfter!.name).toBe('A')
    expect(readConfigSecrets(configAfter!)).toEqual({ botToken: 'xoxb-a' })
    expect(await countDiscubotJobsByStatus(a.id)).toEqual({ pending: 1, processing: 1, completed: 0, failed: 0 })
    expect(await countDiscubotDiscussionsByStatus(a.id)).toMatchObject({ pending: 1, failed: 0 })
    expect((await getDiscubotTasksByIds(a.id, [task.id]))[0]!.status).toBe('pending')
  })
})

describe('concurrent inserts', () => {
  it('100 jobs created at once get 100 distinct ids and all persist', async () => {
    const team = await seedTeam(temp.db, 'a')
    const jobs = await Promise.all(Array.from({ length: 100 }, (_, i) => seedJob(temp.db, team.id, `c${i}`)))
    const ids = new Set(jobs.map(j => j.id))
    expect(ids.size).toBe(100)
    expect(await countDiscubotJobs(team.id, {})).toBe(100)
    const stored = await getDiscubotJobsByIds(team.id, [...ids])
    expect(new Set(stored.map(j => j.payload.sourceThreadId))).toEqual(new Set(jobs.map(j => j.payload.sourceThreadId)))
  })
})

describe('lease fence', () => {
  async function leasedJob(status: 'processing' | 'pending' | 'completed' = 'processing') {
    const team = await seedTeam(temp.db, `t${Math.random()}`)
    const job = await seedJob(temp.db, team.id, '1.0', { status, leaseToken: 'lease-1', lockedBy: 'w1', lockedUntil: new Date(Date.now() + 60_000) })
    return { team, job }
  }
  /** A worker's checkpoint: fence first, then its writes, all in one batch. */
  const fencedCheckpoint = (teamId: string, jobId: string, token: string) => temp.db.batch([
    leaseFence(jobId, token),
    temp.db.update(discubotJobs).set({ stage: 'ai_analysis' }).where(eq(discubotJobs.id, jobId)),
    temp.db.insert(discubotJobStages).values({ jobId, teamId, stage: 'thread_building', status: 'completed', createdBy: 'system', updatedBy: 'system' }),
  ])
  const stageOf = async (teamId: string, jobId: string) => (await getDiscubotJobsByIds(teamId, [jobId]))[0]!.stage

  it('lets the batch through when the job is processing under that token', async () => {
    const { team, job } = await leasedJob()
    await fencedCheckpoint(team.id, job.id, 'lease-1')
    expect(await stageOf(team.id, job.id)).toBe('ai_analysis')
    expect(await getDiscubotJobStages(team.id, job.id)).toHaveLength(1)
  })

  it.each([
    ['another token', 'processing', 'lease-2'],
    ['a job no longer processing', 'pending', 'lease-1'],
    ['a finished job', 'completed', 'lease-1'],
  ] as const)('aborts the whole batch for %s', async (_label, status, token) => {
    const { team, job } = await leasedJob(status)
    const error = await fencedCheckpoint(team.id, job.id, token).then(() => undefined, (e: unknown) => e)
    expect(error).toBeDefined()
    expect(isLeaseLostError(error)).toBe(true)
    expect(await stageOf(team.id, job.id)).toBe('ingestion')
    expect(await getDiscubotJobStages(team.id, job.id)).toEqual([])
  })

  it('aborts for an unknown job and for a null token', async () => {
    const { team, job } = await leasedJob()
    await expect(fencedCheckpoint(team.id, 'no-such-job', 'lease-1')).rejects.toThrow(/discubot: lease lost/)
    await expect(temp.db.batch([temp.db.run(sql`INSERT INTO discubot_lease_fence (job_id, lease_token) VALUES (${job.id}, NULL)`)])).rejects.toThrow(/discubot: lease lost/)
  })

  it('rolls back writes placed before the fence in the same batch', async () => {
    const { team, job } = await leasedJob()
    const error = await temp.db.batch([
      temp.db.update(discubotJobs).set({ error: 'written by a stale worker' }).where(eq(discubotJobs.id, job.id)),
      leaseFence(job.id, 'stale-token'),
    ]).then(() => undefined, (e: unknown) => e)
    expect(isLeaseLostError(error)).toBe(true)
    expect((await getDiscubotJobsByIds(team.id, [job.id]))[0]!.error).toBeNull()
  })

  it('a new lease fences out the old holder', async () => {
    const { team, job } = await leasedJob()
    await updateDiscubotJob(team.id, job.id, { leaseToken: 'lease-2', lockedBy: 'w2' })
    await expect(fencedCheckpoint(team.id, job.id, 'lease-1')).rejects.toThrow(/lease lost/)
    await fencedCheckpoint(team.id, job.id, 'lease-2')
    expect(await stageOf(team.id, job.id)).toBe('ai_analysis')
  })
})

describe('config secrets at rest', () => {
  const SECRETS = { signingSecret: 'sig-PLAINTEXT-8f3a', botToken: 'xoxb-PLAINTEXT-77', notionToken: 'ntn_PLAINTEXT_42' }

  it('stores only ciphertext and exposes only which secrets are set', async () => {
    const team = await seedTeam(temp.db, 'a')
    const config = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 's', secrets: SECRETS })
    const stored = await raw('SELECT * FROM discubot_configs WHERE id = ?', [config.id])
    const dump = JSON.stringify(stored.rows[0])
    for (const secret of Object.values(SECRETS)) expect(dump).not.toContain(secret)
    expect(stored.rows[0]!.secrets_ciphertext).toMatch(/^v2:[\w-]{8}:[\w-]+:[\w-]+:[\w-]+$/)
    expect(readConfigSecrets(config)).toEqual(SECRETS)

    const visible = toPublicConfig(config)
    expect(visible).not.toHaveProperty('secretsCiphertext')
    expect(visible.secretsSet).toEqual({ signingSecret: true, botToken: true, figmaToken: false, passcode: false, notionToken: true, aiApiKey: false })
    expect(Object.keys(visible.secretsSet).sort()).toEqual([...SECRET_FIELDS].sort())
    const json = JSON.stringify(visible)
    for (const secret of Object.values(SECRETS)) expect(json).not.toContain(secret)
  })

  it('encrypts each write afresh; a tampered or foreign payload reads as unset, needing re-entry', async () => {
    const team = await seedTeam(temp.db, 'a')
    const one = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'one', secrets: SECRETS })
    const two = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'two', secrets: SECRETS })
    expect(one.secretsCiphertext).not.toBe(two.secretsCiphertext)
    const [version, keyId, iv, tag, body] = one.secretsCiphertext!.split(':')
    const flipped = body!.startsWith('A') ? `B${body!.slice(1)}` : `A${body!.slice(1)}`
    const unset = { secrets: {}, needReentry: true }
    expect(readConfigSecretsState({ id: one.id, secretsCiphertext: [version, keyId, iv, tag, flipped].join(':') })).toEqual(unset)
    expect(readConfigSecretsState({ id: one.id, secretsCiphertext: 'plain-text' })).toEqual(unset)
    // The config id is bound to the payload: config two's secrets copied onto config one do not open.
    expect(readConfigSecretsState({ id: one.id, secretsCiphertext: two.secretsCiphertext })).toEqual(unset)
    expect(readConfigSecretsState(one)).toEqual({ secrets: SECRETS, needReentry: false })
  })

  it('on update: a string replaces, null clears, empty string or absence keeps', async () => {
    const team = await seedTeam(temp.db, 'a')
    const config = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 's', secrets: SECRETS })

    const replaced = await updateDiscubotConfig(team.id, config.id, { secrets: { botToken: 'xoxb-NEW', signingSecret: '' } })
    expect(readConfigSecrets(replaced!)).toEqual({ ...SECRETS, botToken: 'xoxb-NEW' })

    const cleared = await updateDiscubotConfig(team.id, config.id, { secrets: { notionToken: null, aiApiKey: 'sk-new' } })
    expect(readConfigSecrets(cleared!)).toEqual({ signingSecret: SECRETS.signingSecret, botToken: 'xoxb-NEW', aiApiKey: 'sk-new' })

    const untouched = await updateDiscubotConfig(team.id, config.id, { name: 'renamed' })
    expect(untouched!.secretsCiphertext).toBe(cleared!.secretsCiphertext)
    const noop = await updateDiscubotConfig(team.id, config.id, { secrets: {} })
    expect(readConfigSecrets(noop!)).toEqual(readConfigSecrets(cleared!))

    const empty = await updateDiscubotConfig(team.id, config.id, { secrets: { signingSecret: null, botToken: null, aiApiKey: null } })
    expect(empty!.secretsCiphertext).toBeNull()
    expect(toPublicConfig(empty!).secretsSet).toEqual(Object.fromEntries(SECRET_FIELDS.map(f => [f, false])))
  })
})
