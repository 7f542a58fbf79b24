// Slack Web API failures sorted into "retry later" and "will not get better" (../shared/reference/slack.md §4). Our
// engine retries durably, so the SDK's own retries are off and every error arrives here once.
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api'
import { isNetworkError, isTransientStatus, messageOf, parseRetryAfter, PermanentError, TransientError, type ClassifiedError } from '../../utils/errors'

const SERVICE = 'Slack'

/** `ok:false` codes that a later attempt can get past. Ambiguous writes (`fatal_error`) are here too: the reply is looked up by marker before re-posting. */
export const SLACK_TRANSIENT_CODES = new Set([
  'ratelimited', 'rate_limited', 'internal_error', 'service_unavailable', 'request_timeout', 'fatal_error',
  'team_added_to_org', 'org_login_required',
])

/**
 * Every other code is permanent: the request or the credentials are wrong (invalid_auth,
 * token_revoked, missing_scope, channel_not_found, not_in_channel, thread_not_found, is_archived,
 * msg_too_long, invalid_cursor, …) and a later attempt would get the same answer.
 */
export function isTransientSlackCode(code: string): boolean {
  return SLACK_TRANSIENT_CODES.has(code)
}

export function slackError(method: string, error: unknown): ClassifiedError {
  if (error instanceof TransientError || error instanceof PermanentError) return error
  const prefix = `${SERVICE} ${method} failed`
  if (error instanceof WebAPIRateLimitedError) {
    return new TransientError(`${prefix}: rate limited, retry after ${error.retryAfter} s`, {
      service: SERVICE, status: 429, code: 'ratelimited', retryAfterMs: error.retryAfter * 1000, cause: error,
    })
  }
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data?.error ?? 'unknown_error')
    const details = { service: SERVICE, code, cause: error }
    return isTransientSlackCode(code)
      ? new TransientError(`${prefix}: ${code}`, details)
      : new PermanentError(`${prefix}: ${code}`, details)
  }
  if (error instanceof WebAPIHTTPError) {
    const status = error.statusCode
    const message = `${prefix}: HTTP ${status}${error.statusMessage ? ` ${error.statusMessage}` : ''}`
    return isTransientStatus(status)
      ? new TransientError(message, { service: SERVICE, status, retryAfterMs: parseRetryAfter(error.headers), cause: error })
      : new PermanentError(message, { service: SERVICE, status, cause: error })
  }
  if (error instanceof WebAPIRequestError) {
    const original = error.original
    const what = original?.name === 'TimeoutError' ? 'timed out' : `request error: ${messageOf(original)}`
    return new TransientError(`${prefix}: ${what}`, { service: SERVICE, code: 'request_error', cause: error })
  }
  if (isNetworkError(error)) return new TransientError(`${prefix}: network error: ${messageOf(error)}`, { service: SERVICE, cause: error })
  // e.g. a 429 without a usable Retry-After, which the SDK reports as a plain Error.
  return new TransientError(`${prefix}: ${messageOf(error)}`, { service: SERVICE, cause: error })
}
