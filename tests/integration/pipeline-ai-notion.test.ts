// The engine in-process with the real analyzer and task sink resolvers, talking to the model and
// Notion stand-ins over HTTP (only the Slack thread and reply are faked).
import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { discubotConfigs } from '#layers/discubot/collections/configs/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { claimDueJob } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import { resolveAnalyzer } from '#layers/discubot/server/analysis/resolve'
import { runJob } from '#layers/discubot/server/pipeline/runner'
import type { PipelineServices } from '#layers/discubot/server/pipeline/types'
import { clearNotionCaches } from '#layers/discubot/server/sinks/notion/sink'
import { resolveTaskSink } from '#layers/discubot/server/sinks/resolve'
import type { Settings } from '#layers/discubot/server/utils/settings'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
// The instance's NUXT_* model key and Notion target serve the default (operator's) team only.
import { DEFAULT_TEAM_SLUG } from '#layers/discubot/server/bootstrap/default-team'
import { ANTHROPIC_ROUTE, anthropicRateLimited, startModelStandin, type ModelStandin } from '../standins/model'
import { startNotionStandin, type NotionStandin } from '../standins/notion'

let t: TempDb
let model: ModelStandin
let notion: NotionStandin

beforeAll(async () => {
  model = await startModelStandin({ apiKey: 'sk-ant-test' })
  notion = await startNotionStandin({ token: 'ntn_pipeline' })
})
afterAll(async () => {
  await model.stop()
  await notion.stop()
})
beforeEach(async () => {
  t = await createTempDb()
  clearNotionCaches()
  notion.reset()
  model.faults.clear()
})
afterEach(() => t.cleanup())

function world(_settings: Settings): PipelineServices {
  // Slack is faked; the model and Notion are real HTTP calls to the stand-ins.
  return { ...fakeWorld().services, analyzer: resolveAnalyzer, taskSink: resolveTaskSink }
}

function settingsFor(databaseId: string, overrides: Partial<Settings> = {}) {
  return testSettings({
    notionToken: 'ntn_pipeline', notionDatabaseId: databaseId, notionApiUrl: notion.url,
    anthropicApiKey: 'sk-ant-test', anthropicBaseUrl: model.url, httpTimeoutMs: 1000, ...overrides,
  })
}

describe('pipeline with the model and Notion', () => {
  it('analyzes with the model and creates one Notion page per task, linked from the task rows', async () => {
    const database = notion.state.addDatabase()
    const settings = settingsFor(database.id)
    const { team, config } = await seedTeamWithSlackConfig(t.db, DEFAULT_TEAM_SLUG)
    const { jobId } = await queueSlackJob(team.id, config.id, '100.1') as { jobId: string }

    expect(await runNext(world(settings), settings)).toBe('completed')

    const [analysis] = await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, jobId))
      .then(rows => rows.filter(r => r.stage === 'ai_analysis'))
    expect(analysis!.output).toMatchObject({ analyzer: 'anthropic:claude-sonnet-4-5', tasks: 2 })
    expect(model.calls(ANTHROPIC_ROUTE)).toHaveLength(1)

    const tasks = await t.db.select().from(discubotTasks)
    const pages = notion.state.pagesIn(database.id)
    expect(pages.map(p => notion.state.text(p, 'Task name')).sort()).toEqual(['Fix the checkout CTA', 'Update the docs'])
    expect(tasks.map(task => task.notionPageId).sort()).toEqual(pages.map(p => p.id).sort())
    expect(tasks.every(task => task.status === 'created' && task.notionPageUrl?.startsWith('https://www.notion.so/'))).toBe(true)
    for (const task of tasks) {
      const page = pages.find(p => p.id === task.notionPageId)!
      expect(notion.state.text(page, 'Discubot ID')).toBe(task.idempotencyKey)
    }
  })

  it('a model rate limit is retried later, honouring retry-after, and nothing is created twice', async () => {
    const database = notion.state.addDatabase()
    const settings = settingsFor(database.id)
    const { team, config } = await seedTeamWithSlackConfig(t.db, DEFAULT_TEAM_SLUG)
    const { jobId } = await queueSlackJob(team.id, config.id, '200.1') as { jobId: string }
    model.faults.push(anthropicRateLimited(30))

    expect(await runNext(world(settings), settings)).toBe('retrying')
    const [job] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, jobId))
    expect(job!.runAt.getTime() - Date.now()).toBeGreaterThan(25_000)
    expect(await runNext(world(settings), settings, { now: new Date(Date.now() + 60_000) })).toBe('completed')
    expect(notion.state.pagesIn(database.id)).toHaveLength(2)
  })

  it('a crash right after Notion created a page leaves exactly one page per task after the resume', async () => {
    const database = notion.state.addDatabase()
    const settings = settingsFor(database.id)
    const { team, config } = await seedTeamWithSlackConfig(t.db, DEFAULT_TEAM_SLUG)
    const { jobId } = await queueSlackJob(team.id, config.id, '300.1') as { jobId: string }
    const job = await claimDueJob({ workerId: 'w/1/0', leaseMs: settings.leaseMs })
    await runJob(job!, {
      services: world(settings), workerId: 'w/1/0',
      hold: async (point) => {
        if (point === 'task_creation:after-create') throw new Error('simulated crash')
      },
    })
    // What kill -9 leaves: the job processing under a dead lease, the first intent row pending, its page in Notion.
    await t.db.update(discubotJobs).set({ status: 'processing', lockedUntil: new Date(Date.now() - 1), leaseToken: 'dead' }).where(eq(discubotJobs.id, jobId))
    expect(notion.state.pagesIn(database.id)).toHaveLength(1)
    clearNotionCaches()

    expect(await runNext(world(settings), settings)).toBe('completed')
    const pages = notion.state.pagesIn(database.id)
    const tasks = await t.db.select().from(discubotTasks)
    expect(pages).toHaveLength(2)
    expect(tasks).toHaveLength(2)
    expect(new Set(tasks.map(task => task.notionPageId))).toEqual(new Set(pages.map(p => p.id)))
  })

  it('a database without a "Discubot ID" column still works, and the config says what to add', async () => {
    const database = notion.state.addDatabase({ marker: false })
    const settings = settingsFor(database.id)
    const { team, config } = await seedTeamWithSlackConfig(t.db, DEFAULT_TEAM_SLUG)
    await queueSlackJob(team.id, config.id, '400.1')
    expect(await runNext(world(settings), settings)).toBe('completed')
    expect(notion.state.pagesIn(database.id)).toHaveLength(2)
    const [row] = await t.db.select().from(discubotConfigs).where(eq(discubotConfigs.id, config.id))
    expect(row).toMatchObject({ validationState: 'warning', validationMessage: expect.stringContaining('Add a Text property named "Discubot ID"') })
  })

  it('without keys it runs offline into the local task list', async () => {
    const settings = testSettings({ httpTimeoutMs: 1000 })
    const { team, config } = await seedTeamWithSlackConfig(t.db, DEFAULT_TEAM_SLUG)
    const { jobId } = await queueSlackJob(team.id, config.id, '500.1') as { jobId: string }
    const before = model.requests.length
    expect(await runNext(world(settings), settings)).toBe('completed')
    expect(model.requests.length).toBe(before)
    const tasks = await t.db.select().from(discubotTasks)
    expect(tasks.map(task => task.notionPageUrl)).toEqual(tasks.map(task => `http://discubot.test/tasks/${task.id}`))
    const [job] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, jobId))
    const [discussion] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, job!.discussionId!))
    expect(discussion!.aiSummary).toContain('2 action items')
  })
})
