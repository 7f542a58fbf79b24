// Notion's answers mapped onto the pipeline's two kinds of failure. Notion has no idempotency key,
// so a create that ended in 5xx/timeout may have been applied: the retry looks the page up by its
// marker before creating again (see sink.ts), which is what makes "transient" safe here.
import { APIErrorCode, RequestTimeoutError, isHTTPResponseError, isNotionClientError } from '@notionhq/client'
import { PermanentError, TransientError, isNetworkError, isTransientStatus, messageOf, parseRetryAfter, type ClassifiedError } from '../../utils/errors'

const SERVICE = 'Notion'

/** What the call was about, for the message an admin reads: "Notion rejected the page (…)". */
export type NotionSubject = 'page' | 'database' | 'data source' | 'query' | 'user list' | 'page content'

const TRANSIENT_CODES = new Set<string>([
  APIErrorCode.RateLimited,
  APIErrorCode.ServiceOverload,
  APIErrorCode.InternalServerError,
  APIErrorCode.ServiceUnavailable,
  APIErrorCode.GatewayTimeout,
  APIErrorCode.ConflictError,
  'database_connection_unavailable',
])

export function classifyNotionError(error: unknown, subject: NotionSubject, timeoutMs: number): ClassifiedError {
  if (error instanceof TransientError || error instanceof PermanentError) return error
  if (isHTTPResponseError(error)) {
    const { status, code } = error
    const headers = error.headers as Parameters<typeof parseRetryAfter>[0]
    const detail = `${status} ${code === 'notionhq_client_response_error' ? 'unexpected_response' : code}`
    if (TRANSIENT_CODES.has(code) || isTransientStatus(status)) {
      return new TransientError(`Notion could not take the ${subject} right now (${detail}): ${error.message}`, {
        service: SERVICE, status, code, retryAfterMs: parseRetryAfter(headers), cause: error,
      })
    }
    return new PermanentError(`Notion rejected the ${subject} (${detail}): ${error.message}`, { service: SERVICE, status, code, cause: error })
  }
  if (RequestTimeoutError.isRequestTimeoutError(error) || isNetworkError(error)) {
    const why = RequestTimeoutError.isRequestTimeoutError(error) || isTimeout(error) ? `did not answer within ${timeoutMs} ms` : `could not be reached (${messageOf(error)})`
    return new TransientError(`Notion ${why} while handling the ${subject}`, { service: SERVICE, code: 'timeout', cause: error })
  }
  if (isNotionClientError(error)) return new PermanentError(`Notion client error on the ${subject}: ${error.message}`, { service: SERVICE, code: error.code, cause: error })
  return new TransientError(`Notion call for the ${subject} failed: ${messageOf(error)}`, { service: SERVICE, cause: error })
}

function isTimeout(error: unknown): boolean {
  for (let e = error as { name?: string, cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.name === 'TimeoutError') return true
  }
  return false
}
