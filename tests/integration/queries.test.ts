// The collection queries against a real migrated libSQL file: round trips, JSON columns, audit
// columns, and the paged admin lists with every filter they accept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDb, type TempDb } from '../support/temp-db'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { at, discussionInput, seedDiscussion, seedJob, seedStage, seedTask, seedTeam, setCreatedAt } from '../support/seed-rows'
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
  getEnvDiscubotConfig,
  listActiveDiscubotConfigsBySource,
  listDiscubotConfigs,
  updateDiscubotConfig,
} from '#layers/discubot/collections/configs/server/database/queries'
import {
  addDiscubotTeamMember,
  createDiscubotUser,
  getDiscubotMembership,
  getDiscubotTeamById,
  getDiscubotTeamBySlug,
  getDiscubotUserByEmail,
  listDiscubotTeamsOfUser,
  updateDiscubotUser,
} from '#layers/discubot/collections/teams/server/database/queries'
import { discussionListQuerySchema, jobListQuerySchema, taskListQuerySchema } from '#layers/discubot/shared/list-query'
import type { ThreadData } from '#layers/discubot/shared/schemas'

let temp: TempDb
beforeEach(async () => {
  temp = await createTempDb()
})
afterEach(() => temp.cleanup())

/** Strings that break naive encoders: astral emoji with ZWJ, RTL runs, combining marks, escapes. */
const TRICKY = [
  '🚀 ship it 👩‍👩‍👧‍👦 🏳️‍🌈',
  'שלום עולם — مرحبا بالعالم',
  'e\u0301 vs é, Å\u030A, ﷽',
  'quotes " \' and \\ backslash, tab\t newline\n end',
  '\u202Eright-to-left override\u202C and zero\u200Bwidth',
  '𝕌𝕟𝕚𝕔𝕠𝕕𝕖 🇯🇵 日本語 한국어',
]

function threadOf(count: number, textFor: (i: number) => string): ThreadData {
  return {
    fetchedAt: '2026-01-01T00:00:00.000Z',
    pages: Math.ceil(count / 200),
    messages: Array.from({ length: count }, (_, i) => ({
      id: `1700000000.${String(i).padStart(6, '0')}`,
      author: i % 2 ? 'dana' : 'لي',
      text: textFor(i),
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      isBot: i % 7 === 0,
    })),
  }
}

describe('discussions', () => {
  it('creates with system audit defaults, updates, and reads back by id and thread', async () => {
    const team = await seedTeam(temp.db, 'a')
    const created = await seedDiscussion(temp.db, team.id, '1.0')
    expect(created).toMatchObject({ teamId: team.id, status: 'pending', createdBy: 'system', updatedBy: 'system', completedAt: null })
    expect(created.createdAt).toBeInstanceOf(Date)

    const completedAt = new Date(Date.UTC(2026, 1, 2))
    const updated = await updateDiscubotDiscussion(team.id, created.id, {
      status: 'completed',
      aiSummary: 'Fix the CTA',
      aiActionItems: ['Fix the CTA', 'Ship'],
      notionTaskIds: ['page-1'],
      completedAt,
    }, 'user-7')
    expect(updated).toMatchObject({ status: 'completed', aiSummary: 'Fix the CTA', createdBy: 'system', updatedBy: 'user-7', completedAt })

    const [fetched] = await getDiscubotDiscussionsByIds(team.id, [created.id])
    expect(fetched).toEqual(updated)
    expect(await getDiscubotDiscussionByThread(team.id, 'slack', created.sourceThreadId)).toEqual(updated)
    expect(await getDiscubotDiscussionByThread(team.id, 'figma', created.sourceThreadId)).toBeUndefined()
    expect(await getDiscubotDiscussionsByIds(team.id, [])).toEqual([])
  })

  it('keeps an explicit author in createdBy and updatedBy', async () => {
    const team = await seedTeam(temp.db, 'a')
    const created = await seedDiscussion(temp.db, team.id, '1.0', { createdBy: 'user-1' })
    expect(created).toMatchObject({ createdBy: 'user-1', updatedBy: 'user-1' })
  })

  it('returns undefined when updating an unknown id and changes nothing', async () => {
    const team = await seedTeam(temp.db, 'a')
    const created = await seedDiscussion(temp.db, team.id, '1.0')
    expect(await updateDiscubotDiscussion(team.id, 'missing', { status: 'failed' })).toBeUndefined()
    expect((await getDiscubotDiscussionsByIds(team.id, [created.id]))[0]!.status).toBe('pending')
  })

  it('round-trips Unicode through every JSON column and the text columns', async () => {
    const team = await seedTeam(temp.db, 'a')
    // U+0000 only inside JSON: JSON escapes it, while the libsql driver cuts a plain TEXT value at a NUL on read.
    const threadData = threadOf(TRICKY.length + 1, i => TRICKY[i] ?? 'nul \u0000 inside')
    const aiTasks = TRICKY.map((text, i) => ({ title: text.slice(0, 40) || 'x', description: text, priority: 'high' as const, assignee: i % 2 ? text : null, dueDate: null }))
    const created = await seedDiscussion(temp.db, team.id, '1.0', {
      title: TRICKY[0]!,
      content: TRICKY.join('\n'),
      authorHandle: TRICKY[1]!,
      threadData,
      aiActionItems: TRICKY,
      aiTasks,
      notionTaskIds: TRICKY,
    })
    const [row] = await getDiscubotDiscussionsByIds(team.id, [created.id])
    expect(row).toMatchObject({ title: TRICKY[0], content: TRICKY.join('\n'), authorHandle: TRICKY[1], threadData, aiActionItems: TRICKY, aiTasks, notionTaskIds: TRICKY })
    // Stored as UTF-8 JSON text (not \u-escaped), readable by SQLite's own JSON functions.
    const raw = await useDbClient().execute({ sql: `SELECT thread_data, json_extract(thread_data, '$.messages[0].text') AS first FROM discubot_discussions WHERE id = ?`, args: [created.id] })
    expect(JSON.parse(String(raw.rows[0]!.thread_data))).toEqual(threadData)
    expect(String(raw.rows[0]!.thread_data)).toContain(TRICKY[0])
    expect(raw.rows[0]!.first).toBe(TRICKY[0])
  })

  it('stores and reads back a 5,000-message thread of several MB intact', async () => {
    const team = await seedTeam(temp.db, 'a')
    const threadData = threadOf(5000, i => `${TRICKY[i % TRICKY.length]} #${i} ${'lorem ipsum dolor sit amet '.repeat(25)}`)
    const size = Buffer.byteLength(JSON.stringify(threadData))
    expect(size).toBeGreaterThan(3_000_000)

    const created = await seedDiscussion(temp.db, team.id, '1.0')
    await updateDiscubotDiscussion(team.id, created.id, { threadData })
    const [row] = await getDiscubotDiscussionsByIds(team.id, [created.id])
    expect(row!.threadData!.messages).toHaveLength(5000)
    expect(row!.threadData).toEqual(threadData)
    const raw = await useDbClient().execute({ sql: 'SELECT length(CAST(thread_data AS BLOB)) AS bytes FROM discubot_discussions WHERE id = ?', args: [created.id] })
    expect(Number(raw.rows[0]!.bytes)).toBe(size)

    // The list leaves the heavy thread out.
    const page = await listDiscubotDiscussions(team.id, discussionListQuerySchema.parse({}))
    expect(page.items).toHaveLength(1)
    expect(page.items[0]).not.toHaveProperty('threadData')
    expect(page.items[0]).not.toHaveProperty('content')
  })
})

describe('jobs', () => {
  it('creates a pending job at ingestion, due now, with empty metadata and system audit columns', async () => {
    const team = await seedTeam(temp.db, 'a')
    const before = Date.now()
    const job = await seedJob(temp.db, team.id, '1.0')
    expect(job).toMatchObject({ status: 'pending', stage: 'ingestion', metadata: {}, createdBy: 'system', updatedBy: 'system', lockedBy: null, leaseToken: null, completedAt: null })
    expect(job.runAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(job.payload).toEqual(discussionInput('slack', '1.0'))
  })

  it('updates status, stage and metadata and reads them back', async () => {
    const team = await seedTeam(temp.db, 'a')
    const discussion = await seedDiscussion(temp.db, team.id, '1.0')
    const job = await seedJob(temp.db, team.id, '1.0', { discussionId: discussion.id })
    const metadata = { isRetry: true, taskIds: ['t1', 't2'], processingTime: 1234, custom: { nested: [1, '🚀'] } }
    const updated = await updateDiscubotJob(team.id, job.id, { status: 'completed', stage: 'notification', metadata, completedAt: at(5) }, 'user-2')
    expect(updated).toMatchObject({ status: 'completed', stage: 'notification', metadata, completedAt: at(5), createdBy: 'system', updatedBy: 'user-2' })
    expect(await getDiscubotJobsByIds(team.id, [job.id, 'missing'])).toEqual([updated])
    expect(await updateDiscubotJob(team.id, 'missing', { status: 'failed' })).toBeUndefined()
  })

  it('lists the jobs of a discussion oldest first and the stage rows of a job', async () => {
    const team = await seedTeam(temp.db, 'a')
    const discussion = await seedDiscussion(temp.db, team.id, '1.0')
    const later = await seedJob(temp.db, team.id, '1.0', { discussionId: discussion.id })
    const earlier = await seedJob(temp.db, team.id, '1.0', { discussionId: discussion.id })
    await seedJob(temp.db, team.id, '2.0')
    await setCreatedAt(temp.db, 'jobs', later.id, at(10))
    await setCreatedAt(temp.db, 'jobs', earlier.id, at(1))
    expect((await getDiscubotJobsByDiscussion(team.id, discussion.id)).map(j => j.id)).toEqual([earlier.id, later.id])

    await seedStage(temp.db, team.id, earlier.id, 'ingestion')
    await seedStage(temp.db, team.id, earlier.id, 'config_loading')
    const stages = await getDiscubotJobStages(team.id, earlier.id)
    expect(stages.map(s => s.stage).sort()).toEqual(['config_loading', 'ingestion'])
    expect(stages[0]).toMatchObject({ output: { ok: true }, attemptLog: [], createdBy: 'system' })
    expect(await getDiscubotJobStages(team.id, later.id)).toEqual([])
  })

  it('round-trips a Unicode payload', async () => {
    const team = await seedTeam(temp.db, 'a')
    const job = await seedJob(temp.db, team.id, '1.0', { title: TRICKY.join(' | ') })
    const [row] = await getDiscubotJobsByIds(team.id, [job.id])
    expect(row!.payload.title).toBe(TRICKY.join(' | '))
  })
})

describe('tasks', () => {
  it('creates, updates and reads back tasks in task order', async () => {
    const team = await seedTeam(temp.db, 'a')
    const discussion = await seedDiscussion(temp.db, team.id, '1.0')
    const job = await seedJob(temp.db, team.id, '1.0', { discussionId: discussion.id })
    const second = await seedTask(temp.db, team.id, discussion.id, 1, { jobId: job.id, title: TRICKY[1]! })
    const first = await seedTask(temp.db, team.id, discussion.id, 0, { jobId: job.id, priority: 'urgent', assignee: TRICKY[0]! })
    expect(first).toMatchObject({ status: 'pending', description: '', isMultiTaskChild: false, createdBy: 'system', updatedBy: 'system', assignee: TRICKY[0] })

    const updated = await updateDiscubotTask(team.id, first.id, { status: 'created', notionPageId: 'page-1', notionPageUrl: 'https://notion.test/page-1' }, 'user-3')
    expect(updated).toMatchObject({ status: 'created', notionPageId: 'page-1', updatedBy: 'user-3', createdBy: 'system' })
    expect((await getDiscubotTasksByDiscussion(team.id, discussion.id)).map(t => t.id)).toEqual([first.id, second.id])
    expect(await getDiscubotTasksByIds(team.id, [second.id])).toEqual([second])
    expect(await getDiscubotTasksByIds(team.id, [])).toEqual([])
    expect(await updateDiscubotTask(team.id, 'missing', { status: 'failed' })).toBeUndefined()
  })
})

describe('configs', () => {
  it('creates, updates and lists configs with their JSON columns', async () => {
    const team = await seedTeam(temp.db, 'a')
    const slack = await createDiscubotConfig({
      teamId: team.id,
      sourceType: 'slack',
      name: TRICKY[0]!,
      slackWorkspaceId: 'T1',
      slackChannelIds: ['C1', 'C2'],
      notionPropertyMap: { title: 'Nom 📝', assignee: 'المسؤول' },
      secrets: { signingSecret: 'sig' },
    })
    expect(slack).toMatchObject({ active: true, triggerKeyword: '@discubot', validationState: 'unknown', fromEnv: false, createdBy: 'system', updatedBy: 'system' })
    const figma = await createDiscubotConfig({ teamId: team.id, sourceType: 'figma', name: 'Figma', figmaFileKeys: ['F1'], active: false, fromEnv: true, createdBy: 'user-1' })
    expect(figma).toMatchObject({ createdBy: 'user-1', updatedBy: 'user-1', secretsCiphertext: null })

    const updated = await updateDiscubotConfig(team.id, slack.id, { slackChannelIds: [], validationState: 'ok', validationMessage: 'Connected ✅' }, 'user-4')
    expect(updated).toMatchObject({ slackChannelIds: [], validationState: 'ok', validationMessage: 'Connected ✅', updatedBy: 'user-4', notionPropertyMap: { title: 'Nom 📝', assignee: 'المسؤول' } })
    // A plain column patch leaves the sealed secrets untouched.
    expect(updated!.secretsCiphertext).toBe(slack.secretsCiphertext)

    expect(await getDiscubotConfigsByIds(team.id, [figma.id])).toEqual([figma])
    expect(await getDiscubotConfigsByIds(team.id, [])).toEqual([])
    expect((await listDiscubotConfigs(team.id)).map(c => c.id).sort()).toEqual([slack.id, figma.id].sort())
    expect((await listActiveDiscubotConfigsBySource('slack')).map(c => c.id)).toEqual([slack.id])
    expect(await listActiveDiscubotConfigsBySource('figma')).toEqual([])
    expect((await getEnvDiscubotConfig('figma'))?.id).toBe(figma.id)
    expect(await getEnvDiscubotConfig('slack')).toBeUndefined()
    expect(await updateDiscubotConfig(team.id, 'missing', { name: 'x' })).toBeUndefined()
  })
})

describe('teams and users', () => {
  it('creates teams, users and memberships and finds them again', async () => {
    const team = await seedTeam(temp.db, 'alpha')
    const other = await seedTeam(temp.db, 'beta')
    expect(team).toMatchObject({ slug: 'alpha', createdBy: 'system', updatedBy: 'system' })
    expect(await getDiscubotTeamBySlug('alpha')).toEqual(team)
    expect(await getDiscubotTeamById(other.id)).toEqual(other)
    expect(await getDiscubotTeamBySlug('nope')).toBeUndefined()

    const user = await createDiscubotUser({ email: '  Admin@Example.COM ', name: 'Admin', passwordHash: 'hash' })
    expect(user).toMatchObject({ email: 'admin@example.com', setupTokenHash: null, createdBy: 'system' })
    expect((await getDiscubotUserByEmail('ADMIN@example.com'))?.id).toBe(user.id)
    const loggedIn = await updateDiscubotUser(user.id, { lastLoginAt: at(3) }, user.id)
    expect(loggedIn).toMatchObject({ lastLoginAt: at(3), updatedBy: user.id })

    await addDiscubotTeamMember({ teamId: other.id, userId: user.id, role: 'member' })
    await addDiscubotTeamMember({ teamId: team.id, userId: user.id, role: 'owner' })
    expect(await getDiscubotMembership(team.id, user.id)).toMatchObject({ role: 'owner', createdBy: 'system' })
    const teams = await listDiscubotTeamsOfUser(user.id)
    expect(teams.map(t => [t.team.slug, t.role]).sort()).toEqual([['alpha', 'owner'], ['beta', 'member']])
  })
})

describe('audit columns', () => {
  it('every domain table has NOT NULL created_by and updated_by', async () => {
    const tables = await useDbClient().execute(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'discubot_%'`)
    expect(tables.rows.length).toBeGreaterThanOrEqual(10)
    // Roll-ups (0014) are counters the triggers derive from domain rows, written by nobody.
    const rollups = ['discubot_discussion_counts', 'discubot_job_daily_counts', 'discubot_job_stage_hourly', 'discubot_task_counts']
    for (const { name } of tables.rows.filter(row => !rollups.includes(String(row.name)))) {
      const columns = await useDbClient().execute(`PRAGMA table_info(${String(name)})`)
      for (const column of ['created_by', 'updated_by']) {
        const info = columns.rows.find(c => c.name === column)
        expect(info, `${String(name)}.${column}`).toBeDefined()
        expect(Number(info!.notnull), `${String(name)}.${column}`).toBe(1)
      }
    }
  })

  it('a raw insert without createdBy/updatedBy fails', async () => {
    const team = await seedTeam(temp.db, 'a')
    const now = Date.now()
    await expect(useDbClient().execute({
      sql: `INSERT INTO discubot_jobs (id, team_id, source_type, thread_key, payload, run_at, metadata, created_at, updated_at) VALUES ('j1', ?, 'slack', 'k', '{}', ?, '{}', ?, ?)`,
      args: [team.id, now, now, now],
    })).rejects.toThrow(/NOT NULL constraint failed: discubot_jobs\.created_by/)
    await expect(useDbClient().execute({
      sql: `INSERT INTO discubot_teams (id, name, slug, created_by, created_at, updated_at) VALUES ('t9', 'n', 's9', 'system', ?, ?)`,
      args: [now, now],
    })).rejects.toThrow(/NOT NULL constraint failed: discubot_teams\.updated_by/)
  })
})

describe('paged job list', () => {
  async function seedJobs() {
    const team = await seedTeam(temp.db, 'a')
    const discussion = await seedDiscussion(temp.db, team.id, 'd')
    const specs = [
      { title: 'Checkout CTA', status: 'pending', stage: 'ingestion', sourceType: 'slack', minute: 1 },
      { title: '100% done', status: 'completed', stage: 'notification', sourceType: 'slack', minute: 2, completed: 30 },
      { title: '1000 done', status: 'completed', stage: 'notification', sourceType: 'figma', minute: 3, completed: 20 },
      { title: 'snake_case title', status: 'failed', stage: 'ai_analysis', sourceType: 'figma', minute: 4, error: 'Notion: 429 rate limited' },
      { title: 'snakeXcase title', status: 'processing', stage: 'task_creation', sourceType: 'slack', minute: 5 },
      { title: 'back\\slash', status: 'pending', stage: 'ingestion', sourceType: 'slack', minute: 6, discussion: true },
    ] as const
    const jobs = []
    for (const [i, spec] of specs.entries()) {
      const job = await seedJob(temp.db, team.id, `t${i}`, {
        title: spec.title,
        sourceType: spec.sourceType,
        status: spec.status,
        stage: spec.stage,
        error: 'error' in spec ? spec.error : null,
        completedAt: 'completed' in spec ? at(spec.completed) : null,
        discussionId: 'discussion' in spec ? discussion.id : null,
      })
      await setCreatedAt(temp.db, 'jobs', job.id, at(spec.minute))
      jobs.push(job)
    }
    return { team, discussion, jobs, titles: (page: { items: { title: string }[] }) => page.items.map(j => j.title) }
  }
  const query = (input: Record<string, unknown> = {}) => jobListQuerySchema.parse(input)

  it('lists newest first by default with totals and the title read from the payload', async () => {
    const { team, titles } = await seedJobs()
    const page = await listDiscubotJobs(team.id, query())
    expect(page).toMatchObject({ total: 6, page: 1, pageSize: 25 })
    expect(titles(page)).toEqual(['back\\slash', 'snakeXcase title', 'snake_case title', '1000 done', '100% done', 'Checkout CTA'])
    expect(page.items[0]).not.toHaveProperty('payload')
  })

  it('filters by status, stage, source type and discussion, and counts the filtered total', async () => {
    const { team, discussion, titles } = await seedJobs()
    expect(titles(await listDiscubotJobs(team.id, query({ status: 'completed' })))).toEqual(['1000 done', '100% done'])
    expect(titles(await listDiscubotJobs(team.id, query({ stage: 'ingestion' })))).toEqual(['back\\slash', 'Checkout CTA'])
    expect(titles(await listDiscubotJobs(team.id, query({ sourceType: 'figma' })))).toEqual(['snake_case title', '1000 done'])
    expect(titles(await listDiscubotJobs(team.id, query({ status: 'completed', sourceType: 'slack' })))).toEqual(['100% done'])
    expect(titles(await listDiscubotJobs(team.id, query({ discussionId: discussion.id })))).toEqual(['back\\slash'])
    expect((await listDiscubotJobs(team.id, query({ status: 'failed', stage: 'ingestion' }))).total).toBe(0)
    expect(await countDiscubotJobs(team.id, { status: 'pending' })).toBe(2)
  })

  it('searches title and error text, taking %, _ and \\ literally and ASCII case-insensitively', async () => {
    const { team, titles } = await seedJobs()
    expect(titles(await listDiscubotJobs(team.id, query({ q: '%' })))).toEqual(['100% done'])
    expect(titles(await listDiscubotJobs(team.id, query({ q: '_' })))).toEqual(['snake_case title'])
    expect(titles(await listDiscubotJobs(team.id, query({ q: '\\' })))).toEqual(['back\\slash'])
    expect(titles(await listDiscubotJobs(team.id, query({ q: '00 d' })))).toEqual(['1000 done'])
    expect(titles(await listDiscubotJobs(team.id, query({ q: 'checkout' })))).toEqual(['Checkout CTA'])
    expect(titles(await listDiscubotJobs(team.id, query({ q: 'RATE LIMITED' })))).toEqual(['snake_case title'])
    const none = await listDiscubotJobs(team.id, query({ q: 'nothing like this' }))
    expect(none).toMatchObject({ items: [], total: 0 })
  })

  it('filters by creation date: from inclusive, to exclusive', async () => {
    const { team, titles } = await seedJobs()
    expect(titles(await listDiscubotJobs(team.id, query({ from: at(2).toISOString(), to: at(4).toISOString() })))).toEqual(['1000 done', '100% done'])
    expect((await listDiscubotJobs(team.id, query({ from: at(6).toISOString() }))).total).toBe(1)
    expect((await listDiscubotJobs(team.id, query({ to: at(1).toISOString() }))).total).toBe(0)
  })

  it('sorts by the requested column and order and pages through the result', async () => {
    const { team, titles } = await seedJobs()
    expect(titles(await listDiscubotJobs(team.id, query({ order: 'asc' })))).toEqual(['Checkout CTA', '100% done', '1000 done', 'snake_case title', 'snakeXcase title', 'back\\slash'])
    expect(titles(await listDiscubotJobs(team.id, query({ sort: 'completedAt', status: 'completed' })))).toEqual(['100% done', '1000 done'])
    expect(titles(await listDiscubotJobs(team.id, query({ sort: 'completedAt', order: 'asc', status: 'completed' })))).toEqual(['1000 done', '100% done'])

    const pages = []
    for (let page = 1; page <= 3; page++) pages.push(await listDiscubotJobs(team.id, query({ page, pageSize: 2, order: 'asc' })))
    expect(pages.map(titles)).toEqual([['Checkout CTA', '100% done'], ['1000 done', 'snake_case title'], ['snakeXcase title', 'back\\slash']])
    expect(pages.every(p => p.total === 6 && p.pageSize === 2)).toBe(true)
    expect(await listDiscubotJobs(team.id, query({ page: 4, pageSize: 2 }))).toMatchObject({ items: [], total: 6, page: 4 })
  })

  it('breaks ties on equal timestamps by id so pages never repeat or skip a row', async () => {
    const team = await seedTeam(temp.db, 'a')
    const ids = []
    for (let i = 0; i < 7; i++) {
      const job = await seedJob(temp.db, team.id, `same${i}`)
      await setCreatedAt(temp.db, 'jobs', job.id, at(1))
      ids.push(job.id)
    }
    const seen = []
    for (let page = 1; page <= 3; page++) seen.push(...(await listDiscubotJobs(team.id, query({ page, pageSize: 3 }))).items.map(j => j.id))
    expect(seen).toEqual([...ids].sort().reverse())
  })

  it('counts by status with every status present, and reports queue depth and age', async () => {
    const { team } = await seedJobs()
    expect(await countDiscubotJobsByStatus(team.id)).toEqual({ pending: 2, processing: 1, completed: 2, failed: 1 })
    const empty = await seedTeam(temp.db, 'empty')
    expect(await countDiscubotJobsByStatus(empty.id)).toEqual({ pending: 0, processing: 0, completed: 0, failed: 0 })

    // The oldest pending job was created at minute 1 of 2026 (pinned above); its age is measured
    // from the moment of the query, so it lies between the clock before and after the call.
    const oldest = at(1).getTime()
    const before = Date.now()
    const stats = await getDiscubotQueueStats(team.id)
    const after = Date.now()
    expect(stats).toMatchObject({ pending: 2, processing: 1 })
    expect(stats.oldestPendingAgeMs).toBeGreaterThanOrEqual(before - oldest)
    expect(stats.oldestPendingAgeMs).toBeLessThanOrEqual(after - oldest)
    expect(await getDiscubotQueueStats(empty.id)).toEqual({ pending: 0, processing: 0, oldestPendingAgeMs: null })

    await seedJob(temp.db, empty.id, 'other')
    const all = await getDiscubotQueueStats()
    expect(all).toMatchObject({ pending: 3, processing: 1 })
    expect(all.oldestPendingAgeMs).toBeGreaterThanOrEqual(stats.oldestPendingAgeMs!)
  })
})

describe('paged discussion list', () => {
  async function seedDiscussions() {
    const team = await seedTeam(temp.db, 'a')
    const specs = [
      { title: 'Checkout CTA', content: 'the button hides', author: 'dana', status: 'pending', sourceType: 'slack', minute: 1 },
      { title: 'Pricing 50% off', content: 'discount', author: 'lee', status: 'completed', sourceType: 'figma', minute: 2 },
      { title: 'Onboarding', content: 'copy_edit needed', author: 'ana', status: 'failed', sourceType: 'slack', minute: 3 },
      { title: 'Docs', content: 'copyXedit needed', author: 'lee', status: 'completed', sourceType: 'slack', minute: 4 },
    ] as const
    for (const [i, spec] of specs.entries()) {
      const row = await seedDiscussion(temp.db, team.id, `t${i}`, { title: spec.title, content: spec.content, authorHandle: spec.author, status: spec.status, sourceType: spec.sourceType })
      await setCreatedAt(temp.db, 'discussions', row.id, at(spec.minute))
    }
    return team
  }
  const query = (input: Record<string, unknown> = {}) => discussionListQuerySchema.parse(input)
  const titles = (page: { items: { title: string }[] }) => page.items.map(d => d.title)

  it('filters by status, source type, text in title/content/author and dates, with totals', async () => {
    const team = await seedDiscussions()
    expect(titles(await listDiscubotDiscussions(team.id, query()))).toEqual(['Docs', 'Onboarding', 'Pricing 50% off', 'Checkout CTA'])
    expect(titles(await listDiscubotDiscussions(team.id, query({ status: 'completed' })))).toEqual(['Docs', 'Pricing 50% off'])
    expect(titles(await listDiscubotDiscussions(team.id, query({ sourceType: 'figma' })))).toEqual(['Pricing 50% off'])
    expect(titles(await listDiscubotDiscussions(team.id, query({ q: 'LEE' })))).toEqual(['Docs', 'Pricing 50% off'])
    expect(titles(await listDiscubotDiscussions(team.id, query({ q: '_' })))).toEqual(['Onboarding'])
    expect(titles(await listDiscubotDiscussions(team.id, query({ q: '0%' })))).toEqual(['Pricing 50% off'])
    expect(titles(await listDiscubotDiscussions(team.id, query({ q: 'hides' })))).toEqual(['Checkout CTA'])
    expect(titles(await listDiscubotDiscussions(team.id, query({ from: at(2).toISOString(), to: at(4).toISOString() })))).toEqual(['Onboarding', 'Pricing 50% off'])
    const paged = await listDiscubotDiscussions(team.id, query({ page: 2, pageSize: 3, order: 'asc' }))
    expect(paged).toMatchObject({ total: 4, page: 2, pageSize: 3 })
    expect(titles(paged)).toEqual(['Docs'])
    expect(await countDiscubotDiscussionsByStatus(team.id)).toEqual({ pending: 1, processing: 0, completed: 2, failed: 1 })
  })
})

describe('paged task list', () => {
  it('filters by status, discussion, text and dates, sorts and pages', async () => {
    const team = await seedTeam(temp.db, 'a')
    const first = await seedDiscussion(temp.db, team.id, 'd1')
    const second = await seedDiscussion(temp.db, team.id, 'd2')
    const specs = [
      { discussion: first, title: 'Fix CTA', assignee: 'dana', description: 'mobile', status: 'created', minute: 1 },
      { discussion: first, title: 'Update docs', assignee: null, description: '100% coverage', status: 'pending', minute: 2 },
      { discussion: second, title: 'Ship it', assignee: 'lee_x', description: '', status: 'failed', minute: 3 },
    ] as const
    for (const [i, spec] of specs.entries()) {
      const task = await seedTask(temp.db, team.id, spec.discussion.id, i, { title: spec.title, assignee: spec.assignee, description: spec.description, status: spec.status })
      await setCreatedAt(temp.db, 'tasks', task.id, at(spec.minute))
    }
    const query = (input: Record<string, unknown> = {}) => taskListQuerySchema.parse(input)
    const titles = (page: { items: { title: string }[] }) => page.items.map(t => t.title)

    expect(titles(await listDiscubotTasks(team.id, query()))).toEqual(['Ship it', 'Update docs', 'Fix CTA'])
    expect(titles(await listDiscubotTasks(team.id, query({ status: 'created' })))).toEqual(['Fix CTA'])
    expect(titles(await listDiscubotTasks(team.id, query({ discussionId: first.id, order: 'asc' })))).toEqual(['Fix CTA', 'Update docs'])
    expect(titles(await listDiscubotTasks(team.id, query({ q: '%' })))).toEqual(['Update docs'])
    expect(titles(await listDiscubotTasks(team.id, query({ q: '_' })))).toEqual(['Ship it'])
    expect(titles(await listDiscubotTasks(team.id, query({ q: 'DANA' })))).toEqual(['Fix CTA'])
    expect(titles(await listDiscubotTasks(team.id, query({ from: at(2).toISOString() })))).toEqual(['Ship it', 'Update docs'])
    const paged = await listDiscubotTasks(team.id, query({ page: 2, pageSize: 2 }))
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 2 })
    expect(titles(paged)).toEqual(['Fix CTA'])
    expect(await countDiscubotTasks(team.id)).toBe(3)
  })
})
