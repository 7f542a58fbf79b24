// Notion's answers mapped onto the pipeline's two kinds of failure. Notion has no idempotency key,
// so a create that ended in 5xx/timeout may have been applied: the retry looks the page up by its
// marker before creating again (see sink.ts), which is what makes "transient" safe here.
import { APIErrorCode, RequestTimeoutError, isHTTPResponseError, isNotionClientError } from '@notionhq/client'
import { PermanentError, TransientError, isNetworkError, isTransientStatus, messageOf, parseRetryAfter, type ClassifiedError } from '../../utils/errors'

const SERVICE = 'Notion'

/** What the call was about, for the message an admin reads: "Notion rejected the page (…)". */
export type NotionSubject = 'page' | 'database' | 'data source' | 'data source update' | 'search' | 'query' | 'user list' | 'page content'

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

/** What the admin was doing when Notion refused: the advice depends on it. */
export type NotionSetupAction = 'read' | 'add a column'

/**
 * A sentence that says how to fix a refusal on the setup side (picker, mapping, check), or
 * undefined when Notion's own message is all there is to say.
 */
export function notionAdvice(error: unknown, action: NotionSetupAction = 'read'): string | undefined {
  if (!(error instanceof PermanentError)) return undefined
  if (error.code === APIErrorCode.Unauthorized) return 'Notion refused the token: it was revoked or mistyped. Copy the integration\'s secret again (notion.so/profile/integrations) and save it on the config.'
  if (error.code === APIErrorCode.ObjectNotFound) return 'Notion cannot find the database, or it is not shared with the integration: open it in Notion, ••• → Connections, and add the integration.'
  if (error.code === APIErrorCode.RestrictedResource) {
    return action === 'read'
      ? 'The integration may not read this content: turn on its "Read content" capability (notion.so/profile/integrations), and share the database with it.'
      : 'The integration may not change the database\'s columns (it lacks the "Update content" capability).'
  }
  return undefined
}
