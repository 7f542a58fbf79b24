// A pasted conversation through the real engine, on a real libSQL file, with the real source
// registry, analyzer and task sink resolvers against the Notion stand-in: committed in one batch
// with its job, the same six stages as a webhook's discussion, no reply attempted, retried like any
// other, and a dry run that writes nothing.
import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { discubotConfigs } from '#layers/discubot/collections/configs/server/database/schema'
import { createDiscubotConfig, updateDiscubotConfig } from '#layers/discubot/collections/configs/server/database/queries'
import { resolveAnalyzer } from '#layers/discubot/server/analysis/resolve'
import { resolveTaskSink } from '#layers/discubot/server/sinks/resolve'
import { clearNotionCaches } from '#layers/discubot/server/sinks/notion/sink'
import { getSourceAdapter } from '#layers/discubot/server/sources/registry'
import { acceptPastedConversation } from '#layers/discubot/server/manual/hand-off'
import { previewPastedConversation } from '#layers/discubot/server/manual/preview'
import { retryDiscussion } from '#layers/discubot/server/pipeline/retry'
import { bootstrapPastedConversationsConfig, PASTED_CONFIG_NAME } from '#layers/discubot/server/bootstrap/pasted-config'
import { DEFAULT_TEAM_SLUG } from '#layers/discubot/server/bootstrap/default-team'
import type { PipelineServices } from '#layers/discubot/server/pipeline/types'
import type { SourceAdapter } from '#layers/discubot/server/sources/types'
import { pastedConversationSchema, type PastedConversation } from '#layers/discubot/shared/conversation'
import type { Settings } from '#layers/discubot/server/utils/settings'
import { createTempDb, type TempDb } from '../support/temp-db'
import { runNext, testSettings } from '../support/engine-fixtures'
import { seedTeam } from '../support/seed-rows'
import { watchRows } from '../support/row-snapshot'
import { rejectionOf } from '../support/caught'
import { ROUTES, startNotionStandin, type NotionStandin } from '../standins/notion'

const TOKEN = 'ntn_pasted'
let t: TempDb
let notion: NotionStandin

beforeAll(async () => {
  notion = await startNotionStandin({ token: TOKEN })
})
afterAll(() => notion.stop())
beforeEach(async () => {
  t = await createTempDb()
  clearNotionCaches()
  notion.reset()
})
afterEach(() => t.cleanup())

/** 30 messages, three of them asks the offline analyzer picks up. */
function thirtyMessages(): PastedConversation {
  const people = ['Maya', 'Dana', 'Lee']
  const asks: Record<number, string> = {
    4: '@Dana can you fix the checkout button overlap on mobile? This is urgent.',
    15: 'We need to update the onboarding docs before launch.',
    27: 'TODO: add an analytics event for the new button',
  }
  const messages = Array.from({ length: 30 }, (_, i) => ({ author: people[i % 3]!, text: asks[i] ?? `Status note ${i + 1}: looked at the footer again.` }))
  return pastedConversationSchema.parse({ title: 'Checkout triage', messages })
}
const TITLES = ['Add an analytics event for the new button', 'Fix the checkout button overlap on mobile', 'Update the onboarding docs before launch']

/** The real outside world, with every reply call counted (a pasted conversation must make none). */
function realWorld() {
  const replyCalls: string[] = []
  const services: PipelineServices = {
    source(sourceType) {
      const adapter = getSourceAdapter(sourceType)
      const counted: SourceAdapter = {
        ...adapter,
        findReply: (...args) => (replyCalls.push(`findReply:${sourceType}`), adapter.findReply(...args)),
        postReply: (...args) => (replyCalls.push(`postReply:${sourceType}`), adapter.postReply(...args)),
      }
      return counted
    },
    analyzer: resolveAnalyzer,
    taskSink: resolveTaskSink,
  }
  return { services, replyCalls }
}

function settingsWithNotion(overrides: Partial<Settings> = {}) {
  return testSettings({ notionToken: TOKEN, notionApiUrl: notion.url, httpTimeoutMs: 2000, ...overrides })
}

/** The default (operator's) team with its "Pasted conversations" config pointed at `databaseId`. */
async function operatorWithPastedConfig(databaseId: string) {
  const team = await seedTeam(t.db, DEFAULT_TEAM_SLUG)
  const config = await createDiscubotConfig({ teamId: team.id, sourceType: 'manual', name: PASTED_CONFIG_NAME, notionDatabaseId: databaseId })
  return { team, config }
}

async function stageOutputs(jobId: string) {
  const rows = await t.db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, jobId))
  return Object.fromEntries(rows.map(row => [row.stage, row.output]))
}

describe('a pasted conversation through the six stages', () => {
  it('30 pasted messages: committed with their job before the answer, then a completed job, tasks in Notion, no reply attempted', async () => {
    const database = notion.state.addDatabase()
    const settings = settingsWithNotion()
    const { team, config } = await operatorWithPastedConfig(database.id)

    const queued = await acceptPastedConversation({ teamId: team.id, userId: 'user-1', conversation: thirtyMessages() })
    expect(queued.created).toBe(true)
    // Before any worker ran: the discussion holds the pasted thread, the job points at it and back.
    const [discussion] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, queued.discussionId))
    expect(discussion).toMatchObject({ sourceType: 'manual', status: 'pending', syncJobId: queued.jobId, sourceConfigId: config.id, createdBy: 'user-1', title: 'Checkout triage', authorHandle: 'Maya' })
    expect(discussion!.threadRef).toMatchObject({ kind: 'manual', messages: expect.arrayContaining([{ author: 'Dana', text: expect.stringContaining('checkout button') }]) })
    expect(discussion!.sourceUrl).toBe(`http://discubot.test/discussions/${queued.discussionId}`)
    const [job] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, queued.jobId))
    expect(job).toMatchObject({ sourceType: 'manual', status: 'pending', discussionId: queued.discussionId, sourceConfigId: config.id, createdBy: 'user-1' })

    const world = realWorld()
    expect(await runNext(world.services, settings)).toBe('completed')
    const outputs = await stageOutputs(queued.jobId)
    expect(outputs).toMatchObject({
      config_loading: { configId: config.id, discussionId: queued.discussionId },
      thread_building: { messages: 30, reused: false },
      ai_analysis: { analyzer: 'offline', tasks: 3 },
      task_creation: { created: 3, reused: 0, sink: 'notion' },
      notification: { skipped: 'No thread to reply to (a pasted conversation)' },
    })
    expect(world.replyCalls).toEqual([])

    const pages = notion.state.pagesIn(database.id)
    expect(pages.map(p => notion.state.text(p, 'Task name')).sort()).toEqual(TITLES)
    expect(pages.every(p => (p.properties.Source as { url: string }).url === discussion!.sourceUrl)).toBe(true)
    const tasks = await t.db.select().from(discubotTasks)
    expect(tasks.every(task => task.status === 'created' && task.notionPageUrl?.startsWith('https://www.notion.so/'))).toBe(true)
    const [done] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, queued.discussionId))
    expect(done).toMatchObject({ status: 'completed', threadData: { messages: expect.any(Array) }, notionTaskIds: expect.arrayContaining(tasks.map(task => task.id)) })
    expect(done!.threadData!.messages).toHaveLength(30)
  })

  it('a double submit is one job; the same conversation pasted later is a new job on the same discussion that creates no page twice', async () => {
    const database = notion.state.addDatabase()
    const settings = settingsWithNotion()
    const { team } = await operatorWithPastedConfig(database.id)
    const conversation = thirtyMessages()

    const [first, second] = await Promise.all([
      acceptPastedConversation({ teamId: team.id, userId: 'user-1', conversation }),
      acceptPastedConversation({ teamId: team.id, userId: 'user-1', conversation }),
    ])
    expect(second).toMatchObject({ jobId: first.jobId, discussionId: first.discussionId })
    expect([first.created, second.created].filter(Boolean)).toHaveLength(1)
    expect(await t.db.select().from(discubotJobs)).toHaveLength(1)
    expect(await acceptPastedConversation({ teamId: team.id, userId: 'user-2', conversation })).toEqual({ jobId: first.jobId, discussionId: first.discussionId, created: false })

    expect(await runNext(realWorld().services, settings)).toBe('completed')
    const again = await acceptPastedConversation({ teamId: team.id, userId: 'user-2', conversation })
    expect(again).toMatchObject({ discussionId: first.discussionId, created: true })
    expect(again.jobId).not.toBe(first.jobId)
    const [pending] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, first.discussionId))
    expect(pending).toMatchObject({ status: 'pending', syncJobId: again.jobId })
    expect(await runNext(realWorld().services, settings)).toBe('completed')
    expect(notion.state.pagesIn(database.id)).toHaveLength(3)
    expect(await stageOutputs(again.jobId)).toMatchObject({ task_creation: { created: 0, reused: 3 } })
  })

  it('without a config: the operator\'s team uses the instance\'s Notion target, a tenant the offline analyzer and its local task list', async () => {
    const database = notion.state.addDatabase()
    const settings = settingsWithNotion({ notionDatabaseId: database.id })
    const operator = await seedTeam(t.db, DEFAULT_TEAM_SLUG)
    const tenant = await seedTeam(t.db, 'tenant')

    const mine = await acceptPastedConversation({ teamId: operator.id, userId: 'u', conversation: thirtyMessages() })
    const theirs = await acceptPastedConversation({ teamId: tenant.id, userId: 'u', conversation: thirtyMessages() })
    expect(await runNext(realWorld().services, settings)).toBe('completed')
    expect(await runNext(realWorld().services, settings)).toBe('completed')

    expect(await stageOutputs(mine.jobId)).toMatchObject({ config_loading: { configId: null }, task_creation: { sink: 'notion', created: 3 } })
    expect(await stageOutputs(theirs.jobId)).toMatchObject({ config_loading: { configId: null }, task_creation: { sink: 'local', created: 3 } })
    expect(notion.state.pagesIn(database.id)).toHaveLength(3)
    const tenantTasks = await t.db.select().from(discubotTasks).where(eq(discubotTasks.teamId, tenant.id))
    expect(tenantTasks.map(task => task.notionPageUrl)).toEqual(tenantTasks.map(task => `http://discubot.test/tasks/${task.id}`))
  })

  it('a failed pasted discussion is retried like any other: a new job reusing the stored thread and analysis', async () => {
    const database = notion.state.addDatabase({ shared: false })
    const settings = settingsWithNotion()
    const { team } = await operatorWithPastedConfig(database.id)
    const queued = await acceptPastedConversation({ teamId: team.id, userId: 'u', conversation: thirtyMessages() })
    expect(await runNext(realWorld().services, settings)).toBe('failed')
    const [failed] = await t.db.select().from(discubotDiscussions).where(eq(discubotDiscussions.id, queued.discussionId))
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('404 object_not_found') })

    database.shared = true
    const retry = await retryDiscussion({ teamId: team.id, discussionId: queued.discussionId, userId: 'u' })
    expect(await runNext(realWorld().services, settings)).toBe('completed')
    expect(await stageOutputs(retry.jobId)).toMatchObject({ thread_building: { reused: true }, ai_analysis: { reused: true }, task_creation: { created: 3 }, notification: { skipped: expect.any(String) } })
    expect(notion.state.pagesIn(database.id)).toHaveLength(3)
  })

  it('names only the team\'s own, active config: another team\'s is a 404, a deactivated one a 422, and nothing is written', async () => {
    const { team } = await operatorWithPastedConfig('db')
    const other = await seedTeam(t.db, 'other')
    const foreign = await createDiscubotConfig({ teamId: other.id, sourceType: 'manual', name: 'Theirs' })
    const off = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'Old Slack', active: false })
    expect(await rejectionOf(acceptPastedConversation({ teamId: team.id, userId: 'u', conversation: { ...thirtyMessages(), configId: foreign.id } }))).toMatchObject({ statusCode: 404, message: 'Source config not found' })
    expect(await rejectionOf(acceptPastedConversation({ teamId: team.id, userId: 'u', conversation: { ...thirtyMessages(), configId: off.id } }))).toMatchObject({ statusCode: 422, message: expect.stringContaining('"Old Slack" is deactivated') })
    expect(await t.db.select().from(discubotJobs)).toHaveLength(0)
    expect(await t.db.select().from(discubotDiscussions)).toHaveLength(0)
  })

  it('may borrow a Slack config\'s analyzer and task target', async () => {
    const database = notion.state.addDatabase()
    const settings = settingsWithNotion()
    const team = await seedTeam(t.db, DEFAULT_TEAM_SLUG)
    const slack = await createDiscubotConfig({ teamId: team.id, sourceType: 'slack', name: 'Slack', notionDatabaseId: database.id, aiProvider: 'offline' })
    const queued = await acceptPastedConversation({ teamId: team.id, userId: 'u', conversation: { ...thirtyMessages(), configId: slack.id } })
    expect(await runNext(realWorld().services, settings)).toBe('completed')
    expect(await stageOutputs(queued.jobId)).toMatchObject({ config_loading: { configId: slack.id }, task_creation: { sink: 'notion', created: 3 } })
  })

  it('without a config named runs with the team\'s "Pasted conversations" config; `null` asks for the team\'s defaults', async () => {
    const database = notion.state.addDatabase()
    testSettings()
    const { team, config } = await operatorWithPastedConfig(database.id)
    expect((await previewPastedConversation(team.id, thirtyMessages())).config).toEqual({ id: config.id, name: PASTED_CONFIG_NAME })
    expect(await previewPastedConversation(team.id, { ...thirtyMessages(), configId: null })).toMatchObject({ config: null, sink: 'local' })
    await updateDiscubotConfig(team.id, config.id, { active: false })
    expect((await previewPastedConversation(team.id, thirtyMessages())).config).toBeNull()
  })
})

describe('the dry run', () => {
  it('shows the analysis and the columns each task would fill, and writes no row and no page', async () => {
    const database = notion.state.addDatabase()
    settingsWithNotion()
    const { team, config } = await operatorWithPastedConfig(database.id)
    const rows = watchRows(t.path)
    try {
      const before = await rows.snapshot()
      const preview = await previewPastedConversation(team.id, thirtyMessages())
      expect(await rows.snapshot()).toEqual(before)
      expect(preview).toMatchObject({ config: { id: config.id, name: PASTED_CONFIG_NAME }, analyzer: 'offline', sink: 'notion', warnings: [] })
      expect(preview.tasks.map(task => task.title).sort()).toEqual(TITLES)
      const fix = preview.tasks.find(task => task.title.startsWith('Fix'))!
      expect(Object.fromEntries(fix.fills.map(f => [f.field, [f.column, f.value]]))).toMatchObject({
        title: ['Task name', 'Fix the checkout button overlap on mobile'],
        status: ['Status', 'Not started'],
        priority: ['Priority', 'High'],
        // Pasted names are text, not people a source vouches for: no Notion person (as in the real run).
        assignee: ['Assignee', null],
        sourceUrl: ['Source', 'http://discubot.test/discussions/…'],
        discubotId: ['Discubot ID', expect.stringContaining('set when it is created')],
      })
    }
    finally {
      rows.close()
    }
    expect(notion.calls(ROUTES.createPage)).toHaveLength(0)
  })

  it('into the local task list there are no columns to fill', async () => {
    testSettings()
    const tenant = await seedTeam(t.db, 'tenant')
    const preview = await previewPastedConversation(tenant.id, thirtyMessages())
    expect(preview).toMatchObject({ config: null, analyzer: 'offline', sink: 'local' })
    expect(preview.tasks).toHaveLength(3)
    expect(preview.tasks.every(task => task.fills.length === 0)).toBe(true)
  })
})

describe('first boot with a Notion token', () => {
  it('gives the default team one "Pasted conversations" config, once, and keeps what the admin picked', async () => {
    const defaultTeam = await seedTeam(t.db, DEFAULT_TEAM_SLUG)
    await bootstrapPastedConversationsConfig({ settings: testSettings(), defaultTeam })
    expect(await t.db.select().from(discubotConfigs)).toHaveLength(0)

    const settings = testSettings({ notionToken: TOKEN })
    await Promise.all([bootstrapPastedConversationsConfig({ settings, defaultTeam }), bootstrapPastedConversationsConfig({ settings, defaultTeam })])
    const [config, ...more] = await t.db.select().from(discubotConfigs)
    expect(more).toHaveLength(0)
    expect(config).toMatchObject({ teamId: defaultTeam.id, sourceType: 'manual', name: PASTED_CONFIG_NAME, fromEnv: true, notionDatabaseId: null })
    await updateDiscubotConfig(defaultTeam.id, config!.id, { notionDatabaseId: 'picked-db' })
    await bootstrapPastedConversationsConfig({ settings, defaultTeam })
    expect(await t.db.select().from(discubotConfigs)).toEqual([expect.objectContaining({ id: config!.id, notionDatabaseId: 'picked-db' })])
  })
})
