// Choosing the analyzer and the task sink from a config and the settings; normalizing analyses;
// fitting long threads into the prompt.
import { describe, expect, it } from 'vitest'
import { resolveAnalyzer } from '#layers/discubot/server/analysis/resolve'
import { analysisWireSchema, normalizeAnalysis } from '#layers/discubot/server/analysis/normalize'
import { buildPrompt, renderThread } from '#layers/discubot/server/analysis/prompt'
import { resolveTaskSink } from '#layers/discubot/server/sinks/resolve'
import { localTaskSink } from '#layers/discubot/server/sinks/local'
import { resolveSettings, type Settings } from '#layers/discubot/server/utils/settings'
import type { DiscubotConfig } from '#layers/discubot/collections/configs/server/database/schema'
import type { AnalysisInput } from '#layers/discubot/server/analysis/types'
import { OPERATOR_POLICY, TENANT_POLICY } from '#layers/discubot/server/utils/outbound'

const settings = (overrides: Partial<Settings> = {}) => resolveSettings({ instanceId: 'test', publicBaseUrl: 'https://discubot.example', ...overrides })
const config = (overrides: Partial<DiscubotConfig> = {}) => ({
  id: 'cfg-1', teamId: 'team-1', aiProvider: null, aiModel: null, aiBaseUrl: null, notionDatabaseId: null, notionPropertyMap: null,
  validationState: 'unknown', validationMessage: null, ...overrides,
}) as DiscubotConfig

describe('resolveAnalyzer', () => {
  it('runs offline without any key, or when the config says offline', () => {
    expect(resolveAnalyzer(config(), {}, settings()).name).toBe('offline')
    expect(resolveAnalyzer(config({ aiProvider: 'offline' }), { aiApiKey: 'sk-ant-x' }, settings({ anthropicApiKey: 'k' })).name).toBe('offline')
  })

  it('uses the environment\'s provider and model, with a default model', () => {
    expect(resolveAnalyzer(config(), {}, settings({ anthropicApiKey: 'k' })).name).toBe('anthropic:claude-sonnet-4-5')
    expect(resolveAnalyzer(config(), {}, settings({ anthropicApiKey: 'k', aiModel: 'claude-haiku-4-5' })).name).toBe('anthropic:claude-haiku-4-5')
    expect(resolveAnalyzer(config(), {}, settings({ openaiApiKey: 'k', openaiBaseUrl: 'http://localhost:11434/v1', aiModel: 'llama3.1' })).name).toBe('openai:llama3.1')
  })

  it('lets the config override provider, model and key', () => {
    expect(resolveAnalyzer(config({ aiProvider: 'openai', aiModel: 'gpt-4.1' }), { aiApiKey: 'sk-x' }, settings({ anthropicApiKey: 'k', aiModel: 'claude-x' })).name).toBe('openai:gpt-4.1')
    // NUXT_AI_MODEL belongs to the environment's provider, not to the one the config picked.
    expect(resolveAnalyzer(config({ aiProvider: 'openai' }), { aiApiKey: 'sk-x' }, settings({ anthropicApiKey: 'k', aiModel: 'claude-x' })).name).toBe('openai:gpt-4o-mini')
    expect(resolveAnalyzer(config(), { aiApiKey: 'sk-ant-api03-x' }, settings()).name).toBe('anthropic:claude-sonnet-4-5')
  })

  it('falls back to offline when the chosen provider has no key', () => {
    expect(resolveAnalyzer(config({ aiProvider: 'openai' }), {}, settings({ anthropicApiKey: 'k' })).name).toBe('offline')
  })

  it('never lends the instance key to a tenant team, nor to an endpoint other than the instance\'s', () => {
    const env = settings({ anthropicApiKey: 'k', anthropicBaseUrl: 'https://api.anthropic.com' })
    expect(resolveAnalyzer(config({ aiProvider: 'anthropic' }), {}, env, TENANT_POLICY).name).toBe('offline')
    expect(resolveAnalyzer(config(), {}, env, TENANT_POLICY).name).toBe('offline')
    // The operator's own config pointing elsewhere must bring its own key too.
    expect(resolveAnalyzer(config({ aiProvider: 'anthropic', aiBaseUrl: 'https://attacker.example' }), {}, env, OPERATOR_POLICY).name).toBe('offline')
    expect(resolveAnalyzer(config({ aiProvider: 'anthropic', aiBaseUrl: 'https://api.anthropic.com/' }), {}, env, OPERATOR_POLICY).name).toBe('anthropic:claude-sonnet-4-5')
    // A tenant's own key works.
    expect(resolveAnalyzer(config({ aiProvider: 'anthropic' }), { aiApiKey: 'sk-ant-own' }, env, TENANT_POLICY).name).toBe('anthropic:claude-sonnet-4-5')
  })
})

describe('resolveTaskSink and tenants', () => {
  it('gives the instance\'s Notion target to the operator\'s team only', () => {
    const env = settings({ notionToken: 'ntn', notionDatabaseId: 'db' })
    expect(resolveTaskSink(config(), {}, env, OPERATOR_POLICY).name).toBe('notion')
    expect(resolveTaskSink(config(), {}, env, TENANT_POLICY).name).toBe('local')
    expect(resolveTaskSink(config({ notionDatabaseId: 'db2' }), {}, env, TENANT_POLICY).name).toBe('local')
    expect(resolveTaskSink(config({ notionDatabaseId: 'db2' }), { notionToken: 'own' }, env, TENANT_POLICY).name).toBe('notion')
  })
})

describe('resolveTaskSink', () => {
  it('is Notion with a token and a database from the config or the settings, else the local list', () => {
    expect(resolveTaskSink(config(), {}, settings()).name).toBe('local')
    expect(resolveTaskSink(config(), {}, settings({ notionToken: 'ntn' })).name).toBe('local')
    expect(resolveTaskSink(config(), {}, settings({ notionToken: 'ntn', notionDatabaseId: 'db' })).name).toBe('notion')
    expect(resolveTaskSink(config({ notionDatabaseId: 'db' }), { notionToken: 'ntn' }, settings()).name).toBe('notion')
  })

  it('the local sink links to Discubot\'s task page, the same link every time', async () => {
    const sink = localTaskSink(settings())
    const intent = { taskId: 'task-42', idempotencyKey: 'k', title: 't', description: '', priority: 'low' as const, assignee: null, discussionTitle: 'd' }
    const created = await sink.create(intent, { summary: '', actionItems: [], tasks: [] }, {})
    expect(created).toEqual({ pageId: null, url: 'https://discubot.example/tasks/task-42' })
    expect(await sink.findExisting(intent, {})).toEqual(created)
  })
})

describe('normalizeAnalysis', () => {
  it('clips to the schema\'s limits, fixes small slips and merges tasks with the same title', () => {
    const result = normalizeAnalysis({
      summary: 's'.repeat(5000),
      actionItems: ['a', ''],
      tasks: [
        { title: 'Fix  the footer', description: null, priority: 'High', assignee: 'none' },
        { title: 'fix the footer', description: 'again', priority: 'urgent', assignee: 'Lee', dueDate: '2026-12-01' },
        { title: '   ', description: '', priority: 'low', assignee: null },
      ],
    })
    expect(result.success).toBe(true)
    if (!result.success) return
    expect(result.value.summary.length).toBeLessThanOrEqual(4000)
    expect(result.value.actionItems).toEqual(['a'])
    expect(result.value.tasks).toEqual([{ title: 'Fix the footer', description: 'again', priority: 'urgent', assignee: 'Lee', dueDate: '2026-12-01' }])
  })

  it('reports a structurally wrong value with zod\'s explanation', () => {
    const result = normalizeAnalysis({ summary: 3, tasks: 'none' })
    expect(result.success).toBe(false)
    if (result.success) return
    expect(result.error.message).toMatch(/summary/)
  })

  it('derives a strict wire schema from analysisSchema', () => {
    const schema = analysisWireSchema() as { additionalProperties: boolean, properties: { tasks: { items: { required: string[] } } } }
    expect(schema.additionalProperties).toBe(false)
    expect(schema.properties.tasks.items.required).toContain('dueDate')
    expect(JSON.stringify(schema)).not.toMatch(/maxLength|maxItems|\$schema/)
  })
})

describe('prompt', () => {
  const input = (count: number, size = 100): AnalysisInput => ({
    title: 'A long one',
    sourceType: 'slack',
    thread: {
      fetchedAt: 'now',
      messages: [
        ...Array.from({ length: count }, (_, i) => ({ id: String(i), author: `Person ${i}`, authorId: `U${i}`, text: `Message ${i} ${'x'.repeat(size)}`, timestamp: `t${i}` })),
        { id: 'bot', author: 'Discubot', text: 'Created 3 tasks', timestamp: 't', isBot: true },
      ],
    },
  })

  it('shows every message of a short thread (never the bot\'s), with names for Slack mentions', () => {
    const text = buildPrompt({ ...input(2), thread: { fetchedAt: 'now', messages: [{ id: '1', author: 'Dana', authorId: 'U1', text: 'hi', timestamp: 't' }, { id: '2', author: 'Lee', authorId: 'U2', text: '<@U1> can you &amp; will you?', timestamp: 't' }] } })
    expect(text).toContain('[2] Lee (t): @Dana can you & will you?')
    expect(renderThread(input(3))).not.toContain('Discubot')
  })

  it('keeps the first and the latest messages of a long thread within the budget, and says what it left out', () => {
    const text = renderThread(input(200), 5000)
    expect(text.length).toBeLessThanOrEqual(5000)
    expect(text).toContain('[1] Person 0')
    expect(text).toContain('[200] Person 199')
    expect(text).toMatch(/\[… \d+ messages in the middle of the thread omitted to fit the length limit …\]/)
  })

  it('cuts a single huge message instead of failing', () => {
    const text = renderThread(input(1, 100_000))
    expect(text.length).toBeLessThan(7000)
    expect(text).toContain('[message truncated]')
  })
})
