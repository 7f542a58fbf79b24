// How Notion's and the models' failures map onto the pipeline's transient/permanent errors.
import { APICallError, RetryError } from 'ai'
import { Client, LogLevel, RequestTimeoutError } from '@notionhq/client'
import { describe, expect, it } from 'vitest'
import { classifyModelError } from '#layers/discubot/server/analysis/model-errors'
import { classifyNotionError } from '#layers/discubot/server/sinks/notion/errors'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'

/** What the Notion SDK throws for an HTTP answer, produced by the SDK itself from a canned response. */
async function notionFailure(status: number, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const client = new Client({
    auth: 'ntn_x',
    retry: false,
    logLevel: LogLevel.ERROR,
    fetch: async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } }),
  })
  try {
    await client.users.list({})
  }
  catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

const notionBody = (status: number, code: string, message: string) => ({ object: 'error', status, code, message, request_id: 'req-1' })

describe('classifyNotionError', () => {
  it.each([
    [429, 'rate_limited', { 'retry-after': '7' }, 7000],
    [529, 'service_overload', { 'retry-after': '2' }, 2000],
    [500, 'internal_server_error', {}, undefined],
    [503, 'service_unavailable', {}, undefined],
    [504, 'gateway_timeout', {}, undefined],
    [409, 'conflict_error', {}, undefined],
  ] as const)('%i %s is transient (retry after %o → %s ms)', async (status, code, headers, retryAfterMs) => {
    const error = classifyNotionError(await notionFailure(status, notionBody(status, code, 'Try again.'), headers), 'page', 1000)
    expect(error).toBeInstanceOf(TransientError)
    expect((error as TransientError).retryAfterMs).toBe(retryAfterMs)
    expect(error.message).toBe(`Notion could not take the page right now (${status} ${code}): Try again.`)
  })

  it.each([
    [400, 'validation_error', 'Priority is expected to be select.'],
    [401, 'unauthorized', 'API token is invalid.'],
    [403, 'restricted_resource', 'Insufficient permissions for this endpoint.'],
    [404, 'object_not_found', 'Could not find database with ID: x.'],
  ] as const)('%i %s is permanent with Notion\'s message', async (status, code, message) => {
    const error = classifyNotionError(await notionFailure(status, notionBody(status, code, message)), 'page', 1000)
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toBe(`Notion rejected the page (${status} ${code}): ${message}`)
  })

  it('a non-Notion 502 body (a proxy) is transient, a non-Notion 400 permanent', async () => {
    expect(classifyNotionError(await notionFailure(502, '<html>Bad gateway</html>'), 'query', 1000)).toBeInstanceOf(TransientError)
    expect(classifyNotionError(await notionFailure(400, '<html>Bad request</html>'), 'query', 1000)).toBeInstanceOf(PermanentError)
  })

  it('timeouts and network failures are transient', () => {
    expect(classifyNotionError(new RequestTimeoutError(), 'page', 1234).message).toBe('Notion did not answer within 1234 ms while handling the page')
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })
    expect(classifyNotionError(reset, 'query', 1000)).toBeInstanceOf(TransientError)
  })
})

function apiCallError(statusCode: number | undefined, body: unknown, headers: Record<string, string> = {}) {
  return new APICallError({
    message: 'provider message',
    url: 'http://model.test/v1/messages',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    responseBody: typeof body === 'string' ? body : JSON.stringify(body),
    isRetryable: statusCode === undefined || statusCode === 429 || statusCode >= 500,
  })
}

const anthropic = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_1' })
const info = { service: 'Anthropic', timeoutMs: 30_000, timedOut: false }

describe('classifyModelError', () => {
  it.each([
    [429, 'rate_limit_error', { 'retry-after': '12' }, 12_000],
    [529, 'overloaded_error', {}, undefined],
    [500, 'api_error', {}, undefined],
    [408, 'timeout_error', {}, undefined],
  ] as const)('%i %s is transient', (status, type, headers, retryAfterMs) => {
    const error = classifyModelError(apiCallError(status, anthropic(type, 'Try later'), headers), info)
    expect(error).toBeInstanceOf(TransientError)
    expect((error as TransientError).retryAfterMs).toBe(retryAfterMs)
    expect(error.message).toBe(`Anthropic is unavailable right now (${status} ${type}): Try later`)
  })

  it.each([
    [400, 'invalid_request_error', 'max_tokens: must be positive'],
    [401, 'authentication_error', 'invalid x-api-key'],
    [403, 'permission_error', 'Your API key does not have permission'],
    [404, 'not_found_error', 'model: claude-nope'],
  ] as const)('%i %s is permanent with the provider\'s message', (status, type, message) => {
    const error = classifyModelError(apiCallError(status, anthropic(type, message)), info)
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toBe(`Anthropic rejected the request (${status} ${type}): ${message}`)
  })

  it('OpenAI\'s insufficient_quota is permanent despite the 429; retry-after-ms is honoured on real rate limits', () => {
    const service = { ...info, service: 'OpenAI-compatible endpoint api.openai.com' }
    const quota = classifyModelError(apiCallError(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }), service)
    expect(quota).toBeInstanceOf(PermanentError)
    expect(quota.message).toBe('OpenAI-compatible endpoint api.openai.com rejected the request (429 insufficient_quota): You exceeded your current quota')
    const limited = classifyModelError(apiCallError(429, { error: { message: 'Slow down', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '250' }), service)
    expect(limited).toBeInstanceOf(TransientError)
    expect((limited as TransientError).retryAfterMs).toBe(250)
  })

  it('unwraps the SDK\'s RetryError, and reports our own timeout', () => {
    const wrapped = new RetryError({ message: 'failed', reason: 'maxRetriesExceeded', errors: [apiCallError(401, anthropic('authentication_error', 'invalid x-api-key'))] })
    expect(classifyModelError(wrapped, info)).toBeInstanceOf(PermanentError)
    const timeout = classifyModelError(new DOMException('aborted', 'TimeoutError'), { ...info, timedOut: true })
    expect(timeout).toBeInstanceOf(TransientError)
    expect(timeout.message).toBe('Anthropic did not answer within 30000 ms')
  })

  it('a connection failure (no status) is transient', () => {
    expect(classifyModelError(apiCallError(undefined, ''), info)).toBeInstanceOf(TransientError)
  })
})
