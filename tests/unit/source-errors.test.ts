// Failures of Slack and Figma calls sorted into transient (retry, honouring Retry-After) and
// permanent (fail the job), with messages that name the service and the cause.
import { describe, expect, it } from 'vitest'
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api'
import { slackError } from '#layers/discubot/server/sources/slack/errors'
import { figmaHttpError } from '#layers/discubot/server/sources/figma/api'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'

const platform = (code: string) => new WebAPIPlatformError({ ok: false, error: code })

describe('slackError', () => {
  it.each([
    'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope',
    'not_allowed_token_type', 'channel_not_found', 'not_in_channel', 'is_archived', 'thread_not_found', 'message_not_found',
    'msg_too_long', 'no_text', 'invalid_arguments', 'restricted_action', 'restricted_action_read_only_channel', 'ekm_access_denied',
    'user_not_found', 'user_not_visible', 'invalid_cursor',
  ])('treats %s as permanent', (code) => {
    const error = slackError('conversations.replies', platform(code))
    expect(error).toBeInstanceOf(PermanentError)
    expect(error.message).toBe(`Slack conversations.replies failed: ${code}`)
    expect(error).toMatchObject({ service: 'Slack', code })
  })

  it.each(['ratelimited', 'rate_limited', 'internal_error', 'service_unavailable', 'request_timeout', 'fatal_error', 'team_added_to_org', 'org_login_required'])('treats %s as transient', (code) => {
    const error = slackError('chat.postMessage', platform(code))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toBe(`Slack chat.postMessage failed: ${code}`)
  })

  it('keeps the Retry-After of a rate-limited call', () => {
    const error = slackError('conversations.replies', new WebAPIRateLimitedError(7))
    expect(error).toBeInstanceOf(TransientError)
    expect(error).toMatchObject({ retryAfterMs: 7000, status: 429 })
    expect(error.message).toContain('Slack conversations.replies failed: rate limited')
  })

  it('sorts HTTP errors by status', () => {
    const unavailable = slackError('chat.postMessage', new WebAPIHTTPError(503, 'Service Unavailable', { 'retry-after': '3' }))
    expect(unavailable).toBeInstanceOf(TransientError)
    expect(unavailable).toMatchObject({ status: 503, retryAfterMs: 3000 })
    expect(unavailable.message).toBe('Slack chat.postMessage failed: HTTP 503 Service Unavailable')
    expect(slackError('chat.postMessage', new WebAPIHTTPError(429, 'Too Many Requests', {}))).toBeInstanceOf(TransientError)
    expect(slackError('chat.postMessage', new WebAPIHTTPError(404, 'Not Found', {}))).toBeInstanceOf(PermanentError)
  })

  it('treats request errors and timeouts as transient', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    expect(slackError('conversations.replies', new WebAPIRequestError(timeout)).message).toBe('Slack conversations.replies failed: timed out')
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })
    const error = slackError('conversations.replies', new WebAPIRequestError(reset))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toContain('request error: fetch failed')
  })

  it('passes classified errors through and treats the unknown as transient', () => {
    const permanent = new PermanentError('already classified')
    expect(slackError('x', permanent)).toBe(permanent)
    expect(slackError('x', new Error('Retry header did not contain a valid timeout'))).toBeInstanceOf(TransientError)
  })
})

describe('figmaHttpError', () => {
  it('retries 429 after Retry-After and 5xx', () => {
    const limited = figmaHttpError('GET /v1/files/K/comments', 429, 'Rate limit exceeded', new Headers({ 'Retry-After': '12' }))
    expect(limited).toBeInstanceOf(TransientError)
    expect(limited).toMatchObject({ retryAfterMs: 12_000, status: 429, service: 'Figma' })
    expect(limited.message).toBe('Figma GET /v1/files/K/comments failed: 429 Rate limit exceeded')
    expect(figmaHttpError('POST /v1/files/K/comments', 500, 'oops')).toBeInstanceOf(TransientError)
    expect(figmaHttpError('POST /v1/files/K/comments', 502, 'bad gateway')).toBeInstanceOf(TransientError)
  })

  it('fails on 400, 403 and 404 with Figma\'s message', () => {
    for (const [status, detail] of [[400, 'comment_id must be a root'], [403, 'Invalid token'], [404, 'Not found']] as const) {
      const error = figmaHttpError('POST /v1/files/K/comments', status, detail)
      expect(error).toBeInstanceOf(PermanentError)
      expect(error.message).toBe(`Figma POST /v1/files/K/comments failed: ${status} ${detail}`)
    }
  })
})
