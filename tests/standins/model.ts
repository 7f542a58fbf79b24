// A local model server speaking two protocols (facts: ../shared/reference/llm.md):
// Anthropic Messages (`POST /v1/messages`: the forced JSON tool, or output_config / plain text) and
// OpenAI chat completions (`POST /v1/chat/completions`, response_format json_schema). It answers
// with an analysis derived from the thread in the prompt (the offline analyzer's reading), a fixed
// analysis, or queued raw outputs (bad JSON, schema mismatches); errors come in each vendor's shape.
import { analyzeOffline } from '#layers/discubot/server/analysis/offline'
import type { Analysis } from '#layers/discubot/shared/schemas'
import { startHttpStandin, type FaultRule, type HttpStandin, type StandinAnswer, type StandinRequest } from './http-standin'

export const ANTHROPIC_ROUTE = 'POST /v1/messages'
export const OPENAI_ROUTE = 'POST /v1/chat/completions'

export interface ModelStandinOptions {
  /** The key both protocols accept (Anthropic `x-api-key`, OpenAI `Authorization: Bearer`). */
  apiKey?: string
}

export interface ModelStandinState {
  apiKey: string
  /** The answer when nothing is queued: derived from the prompt's thread (default) or fixed. */
  analysis: Analysis | ((prompt: string) => Analysis) | null
  /** Raw outputs answered first, one per request: a string is the model's text, an object its JSON. */
  outputs: unknown[]
  /** Anthropic stop_reason / OpenAI finish_reason to report with the next answer (e.g. max_tokens). */
  stopReasons: string[]
}

export interface ModelStandin extends HttpStandin {
  state: ModelStandinState
  /** Requests of one protocol, bodies parsed. */
  calls(route: typeof ANTHROPIC_ROUTE | typeof OPENAI_ROUTE): Record<string, unknown>[]
}

/** Reads the thread back out of Discubot's prompt ("[n] Author (time): text" lines). */
export function analysisFromPrompt(prompt: string): Analysis {
  const title = /^Title: (.*)$/m.exec(prompt)?.[1] ?? ''
  const sourceType = /^Source: Figma/m.test(prompt) ? 'figma' : 'slack'
  const messages = [...prompt.matchAll(/^\[(\d+)\] (.+?) \(([^)]*)\): ([\s\S]*?)(?=\n\[\d+\] |\n\[… |(?![\s\S]))/gm)]
    .map(m => ({ id: m[1]!, author: m[2]!, timestamp: m[3]!, text: m[4]!.replace(/\n {4}/g, '\n').trim() }))
  return analyzeOffline({ title, sourceType, thread: { messages, fetchedAt: new Date(0).toISOString() } })
}

type Message = { role: string, content: unknown }

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map(part => (part as { text?: string }).text ?? '').join('\n')
  return ''
}

/** The first user turn is Discubot's prompt; later turns are repair requests. */
function promptOf(messages: Message[]): string {
  return textOf(messages.find(m => m.role === 'user')?.content)
}

function nextOutput(state: ModelStandinState, prompt: string): unknown {
  if (state.outputs.length) return state.outputs.shift()
  if (typeof state.analysis === 'function') return state.analysis(prompt)
  return state.analysis ?? analysisFromPrompt(prompt)
}

const asText = (output: unknown) => (typeof output === 'string' ? output : JSON.stringify(output))
function asObject(output: unknown): unknown {
  if (typeof output !== 'string') return output
  try {
    return JSON.parse(output)
  }
  catch {
    // A tool's input is always an object: a non-JSON answer arrives as an object that fails the schema.
    return { text: output }
  }
}

let counter = 0
const nextId = (prefix: string) => `${prefix}_standin${String(++counter).padStart(6, '0')}`

/** Anthropic's error body: `{type:"error", error:{type, message}, request_id}`. */
export function anthropicError(status: number, type: string, message: string, options: { headers?: Record<string, string>, times?: number } = {}): FaultRule {
  return { kind: 'respond', route: ANTHROPIC_ROUTE, status, times: options.times, headers: { 'request-id': nextId('req'), ...options.headers }, body: { type: 'error', error: { type, message }, request_id: nextId('req') } }
}

/** The OpenAI-compatible error body: `{error:{message, type, param, code}}`. */
export function openaiError(status: number, error: { message: string, type?: string, code?: string | null }, options: { headers?: Record<string, string>, times?: number } = {}): FaultRule {
  return { kind: 'respond', route: OPENAI_ROUTE, status, times: options.times, headers: options.headers, body: { error: { type: null, param: null, code: null, ...error } } }
}

export const anthropicRateLimited = (retryAfterSeconds: number) =>
  anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { headers: { 'retry-after': String(retryAfterSeconds) } })
export const anthropicOverloaded = () => anthropicError(529, 'overloaded_error', 'Overloaded')
export const anthropicUnauthorized = () => anthropicError(401, 'authentication_error', 'invalid x-api-key')
export const openaiRateLimited = (retryAfterMs: number) =>
  openaiError(429, { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' }, { headers: { 'retry-after-ms': String(retryAfterMs) } })
export const openaiInsufficientQuota = () =>
  openaiError(429, { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' })

function anthropicMessages(state: ModelStandinState, request: StandinRequest): StandinAnswer {
  if (request.headers['x-api-key'] !== state.apiKey) return anthropicAnswer(401, 'authentication_error', 'invalid x-api-key')
  if (!request.headers['anthropic-version']) return anthropicAnswer(400, 'invalid_request_error', 'anthropic-version: header is required')
  const body = request.args as { model?: string, max_tokens?: number, messages?: Message[], tools?: { name: string }[], tool_choice?: { type: string, name?: string } }
  if (!body.model || !body.max_tokens || !Array.isArray(body.messages)) return anthropicAnswer(400, 'invalid_request_error', 'model, max_tokens and messages are required')

  const output = nextOutput(state, promptOf(body.messages))
  const forced = body.tool_choice && ['any', 'tool'].includes(body.tool_choice.type) ? body.tools?.[0] : undefined
  const stop = state.stopReasons.shift()
  const content = forced
    ? [{ type: 'tool_use', id: nextId('toolu'), name: forced.name, input: asObject(output) }]
    : [{ type: 'text', text: asText(output) }]
  return {
    status: 200,
    headers: { 'request-id': nextId('req') },
    body: {
      id: nextId('msg'), type: 'message', role: 'assistant', model: body.model, content,
      stop_reason: stop ?? (forced ? 'tool_use' : 'end_turn'), stop_sequence: null,
      usage: { input_tokens: Math.ceil(request.body.length / 4), output_tokens: Math.ceil(asText(output).length / 4), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  }
}

function anthropicAnswer(status: number, type: string, message: string): StandinAnswer {
  return { status, body: { type: 'error', error: { type, message }, request_id: nextId('req') } }
}

function chatCompletions(state: ModelStandinState, request: StandinRequest): StandinAnswer {
  if (request.headers.authorization !== `Bearer ${state.apiKey}`) {
    return { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } }
  }
  const body = request.args as { model?: string, messages?: Message[] }
  if (!body.model || !Array.isArray(body.messages)) return { status: 400, body: { error: { message: 'model and messages are required', type: 'invalid_request_error', param: null, code: null } } }
  const output = nextOutput(state, promptOf(body.messages))
  return {
    status: 200,
    body: {
      id: nextId('chatcmpl'), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: asText(output), refusal: null }, finish_reason: state.stopReasons.shift() ?? 'stop' }],
      usage: { prompt_tokens: Math.ceil(request.body.length / 4), completion_tokens: Math.ceil(asText(output).length / 4), total_tokens: 0 },
    },
  }
}

export async function startModelStandin(options: ModelStandinOptions = {}): Promise<ModelStandin> {
  const state: ModelStandinState = { apiKey: options.apiKey ?? 'standin-model-key', analysis: null, outputs: [], stopReasons: [] }
  const standin = await startHttpStandin({
    route(request) {
      if (request.method === 'POST' && request.path === '/v1/messages') return { name: ANTHROPIC_ROUTE, handle: req => anthropicMessages(state, req) }
      if (request.method === 'POST' && request.path === '/v1/chat/completions') return { name: OPENAI_ROUTE, handle: req => chatCompletions(state, req) }
      return undefined
    },
    notFound: request => ({ status: 404, body: { type: 'error', error: { type: 'not_found_error', message: `Not found: ${request.method} ${request.path}` } } }),
    badRequest: message => ({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message } } }),
  })
  return {
    ...standin,
    state,
    calls: route => standin.requests.filter(r => r.route === route && !r.fault).map(r => r.args),
  }
}

export const start = startModelStandin
