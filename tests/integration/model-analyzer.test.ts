// The AI SDK analyzers against a local model server speaking Anthropic's and OpenAI's protocols.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createModelAnalyzer, type ModelProvider, type ModelTarget } from '#layers/discubot/server/analysis/ai-sdk'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import { analysisSchema, type Analysis } from '#layers/discubot/shared/schemas'
import {
  ANTHROPIC_ROUTE, OPENAI_ROUTE, anthropicError, anthropicOverloaded, anthropicRateLimited, anthropicUnauthorized,
  openaiError, openaiInsufficientQuota, openaiRateLimited, startModelStandin, type ModelStandin,
} from '../standins/model'
import { slowAnswer } from '../standins/http-standin'
import { loadThreadFixture } from '../support/thread-fixtures'
import { rejectionOf } from '../support/caught'

let model: ModelStandin
const checkout = loadThreadFixture('slack-checkout-blocker')
const canned: Analysis = {
  summary: 'The checkout button is hidden on mobile Safari.',
  actionItems: ['Fix the sticky footer (Lee)'],
  tasks: [{ title: 'Fix the sticky footer', description: 'It overlaps the Pay now button.', priority: 'urgent', assignee: 'Lee Park', dueDate: null }],
}

beforeAll(async () => {
  model = await startModelStandin({ apiKey: 'test-key' })
})
afterAll(() => model.stop())
beforeEach(() => {
  model.faults.clear()
  model.requests.length = 0
  Object.assign(model.state, { analysis: null, outputs: [], stopReasons: [] })
})

function analyzer(provider: ModelProvider, overrides: Partial<ModelTarget> = {}) {
  return createModelAnalyzer({
    provider,
    model: provider === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4o-mini',
    apiKey: 'test-key',
    baseUrl: provider === 'anthropic' ? model.url : `${model.url}/v1`,
    timeoutMs: 2000,
    ...overrides,
  })
}

const routeOf = (provider: ModelProvider) => (provider === 'anthropic' ? ANTHROPIC_ROUTE : OPENAI_ROUTE)

describe.each(['anthropic', 'openai'] as const)('%s analyzer', (provider) => {
  it('returns the structured analysis the model answered, validated', async () => {
    model.state.analysis = canned
    const analysis = await analyzer(provider).analyze(checkout.input, {})
    expect(analysis).toEqual(analysisSchema.parse(canned))
    expect(model.calls(routeOf(provider))).toHaveLength(1)
  })

  it('reads the real thread: the model sees every message and the tasks come back', async () => {
    const analysis = await analyzer(provider).analyze(checkout.input, {})
    expect(analysis.tasks.map(t => t.title)).toEqual([
      'Fix the sticky footer overlap on mobile Safari',
      'Add a visual regression test for the checkout page before the release',
    ])
  })

  it('sends the analysis schema in strict form, with a single call and no SDK retries', async () => {
    model.state.analysis = canned
    await analyzer(provider).analyze(checkout.input, {})
    type Schema = { required: string[], properties: { tasks: { items: { required: string[] } } } }
    type WireBody = { tools: { input_schema: Schema }[], tool_choice: unknown, response_format: { json_schema: { schema: Schema } } }
    const [body] = model.calls(routeOf(provider)) as WireBody[]
    const schema = provider === 'anthropic' ? body!.tools[0]!.input_schema : body!.response_format.json_schema.schema
    if (provider === 'anthropic') expect(body!.tool_choice).toMatchObject({ type: 'any' })
    else expect(body!.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } })
    expect(schema.required).toEqual(['summary', 'actionItems', 'tasks'])
    expect(schema.properties.tasks.items.required).toEqual(['title', 'description', 'priority', 'assignee', 'dueDate'])
    expect(JSON.stringify(schema)).not.toContain('maxLength')
  })

  it('repairs one invalid answer by showing the model its mistake', async () => {
    model.state.analysis = canned
    model.state.outputs.push('{"summary": "half an answer", "tasks": [{"title": 42}')
    const analysis = await analyzer(provider).analyze(checkout.input, {})
    expect(analysis.tasks[0]!.title).toBe('Fix the sticky footer')
    const calls = model.calls(routeOf(provider)) as { messages: { role: string, content: unknown }[] }[]
    expect(calls).toHaveLength(2)
    const repair = JSON.stringify(calls[1]!.messages.at(-1))
    expect(repair).toContain('did not match the required JSON schema')
  })

  it('fails permanently, with a clear message, when the repaired answer is still invalid', async () => {
    model.state.outputs.push({ summary: 7 }, { summary: 'ok', tasks: [{ title: 'x', priority: 'urgent' }], actionItems: 'none' })
    const error = await rejectionOf(analyzer(provider).analyze(checkout.input, {}))
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toMatch(/^Model output did not match the analysis schema: /)
    expect(model.calls(routeOf(provider))).toHaveLength(2)
  })

  it('treats an answer cut off at the token limit as invalid output, and says so', async () => {
    model.state.outputs.push('{"summary": "The thread is ab', '{"summary": "The thread is ab')
    model.state.stopReasons.push(provider === 'anthropic' ? 'max_tokens' : 'length', provider === 'anthropic' ? 'max_tokens' : 'length')
    const error = await rejectionOf(analyzer(provider).analyze(checkout.input, {}))
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toMatch(/^Model output did not match the analysis schema: .*\(the answer ended with "length"\)$/)
  })

  it('fails transiently on a timeout', async () => {
    model.faults.push(slowAnswer(routeOf(provider), 1500))
    const error = await rejectionOf(analyzer(provider, { timeoutMs: 300 }).analyze(checkout.input, {}))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toContain('did not answer within 300 ms')
  })
})

describe('Anthropic structured output modes', () => {
  it('a model that refuses forced tool use gets output_config, and the JSON comes back as text', async () => {
    model.state.analysis = canned
    const analysis = await analyzer('anthropic', { model: 'claude-sonnet-5-5' }).analyze(checkout.input, {})
    expect(analysis).toEqual(canned)
    const [body] = model.calls(ANTHROPIC_ROUTE) as { tools?: unknown[], output_config?: { format?: { type?: string } } }[]
    expect(body!.tools).toBeUndefined()
    expect(body!.output_config?.format?.type).toBe('json_schema')
  })
})

describe('provider errors', () => {
  const PORT = String.raw`127\.0\.0\.1:\d+`
  it.each([
    ['Anthropic 429', 'anthropic', anthropicRateLimited(7), TransientError, /^Anthropic is unavailable right now \(429 rate_limit_error\): /, 7000],
    ['Anthropic 529 overloaded', 'anthropic', anthropicOverloaded(), TransientError, /^Anthropic is unavailable right now \(529 overloaded_error\): Overloaded$/, undefined],
    ['Anthropic 500', 'anthropic', anthropicError(500, 'api_error', 'Internal server error'), TransientError, /\(500 api_error\)/, undefined],
    ['Anthropic 401', 'anthropic', anthropicUnauthorized(), PermanentError, /^Anthropic rejected the request \(401 authentication_error\): invalid x-api-key$/, undefined],
    ['Anthropic 404 (unknown model)', 'anthropic', anthropicError(404, 'not_found_error', 'model: claude-nope'), PermanentError, /\(404 not_found_error\): model: claude-nope$/, undefined],
    ['OpenAI-compatible 429', 'openai', openaiRateLimited(1500), TransientError, /\(429 rate_limit_exceeded\)/, 1500],
    ['OpenAI insufficient_quota (a 429 that waiting does not fix)', 'openai', openaiInsufficientQuota(), PermanentError, new RegExp(`^OpenAI-compatible endpoint ${PORT} rejected the request \\(429 insufficient_quota\\): You exceeded your current quota`), undefined],
    ['OpenAI-compatible 503', 'openai', openaiError(503, { message: 'upstream busy' }), TransientError, /\(503\): upstream busy$/, undefined],
    ['OpenAI-compatible 400', 'openai', openaiError(400, { message: 'response_format is not supported', type: 'invalid_request_error' }), PermanentError, /\(400 invalid_request_error\): response_format is not supported$/, undefined],
  ] as const)('%s', async (_name, provider, fault, kind, message, retryAfterMs) => {
    model.faults.push(fault)
    const error = await rejectionOf(analyzer(provider).analyze(checkout.input, {}))
    expect(error).toBeInstanceOf(kind)
    expect(error.message).toMatch(message)
    expect((error as TransientError).retryAfterMs).toBe(retryAfterMs)
    // One call: the SDK does not retry on its own, the pipeline does.
    expect(model.requests).toHaveLength(1)
  })

  it('a wrong key is refused by the stand-in itself, like the real API', async () => {
    const error = await rejectionOf(analyzer('anthropic', { apiKey: 'wrong' }).analyze(checkout.input, {}))
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toContain('401 authentication_error')
  })
})

describe('long threads', () => {
  it('fit the budget: first and last messages kept, the middle noted, never a failure', async () => {
    const incident = loadThreadFixture('slack-long-incident')
    const analysis = await analyzer('anthropic', { promptBudget: 2500 }).analyze(incident.input, {})
    const [body] = model.calls(ANTHROPIC_ROUTE) as { messages: { content: unknown }[] }[]
    const prompt = JSON.stringify(body!.messages[0]!.content)
    expect(prompt.length).toBeLessThan(4500)
    expect(prompt).toContain('[1] Raj Patel')
    expect(prompt).toContain('[41] Kim Nguyen')
    expect(prompt).toMatch(/\[… \d+ messages in the middle of the thread omitted/)
    expect(analysis.tasks.some(t => t.title === 'Review the canary thresholds for config changes')).toBe(true)
  })
})
