// A model call's failure as the pipeline needs it: transient (rate limits, overload, 5xx,
// timeouts — retry later, honouring retry-after) or permanent (bad key, unknown model, quota
// exhausted — an admin must act), with the provider's own words in the message.
import { APICallError, LoadAPIKeyError, RetryError } from 'ai'
import { PermanentError, TransientError, classifyError, isNetworkError, isTransientStatus, messageOf, parseRetryAfter, type ClassifiedError } from '../utils/errors'
import { findOutboundRefusal } from '../utils/outbound'

interface ProviderError {
  type?: string
  message?: string
}

/** Anthropic: `{type:"error", error:{type, message}}`; OpenAI-compatible: `{error:{message, type, code}}`. */
export function readProviderError(body: string | undefined): ProviderError {
  if (!body) return {}
  try {
    const parsed = JSON.parse(body) as { error?: { type?: unknown, code?: unknown, message?: unknown } | string, message?: unknown }
    const error = parsed.error
    if (typeof error === 'string') return { message: error }
    const pick = (v: unknown) => (typeof v === 'string' && v ? v.slice(0, 500) : undefined)
    return {
      // OpenAI puts the specific reason in `code` (insufficient_quota), the family in `type`.
      type: pick(error?.code) ?? pick(error?.type),
      message: pick(error?.message) ?? pick(parsed.message),
    }
  }
  catch {
    // Not the provider's JSON (a proxy's or an internal page's HTML): its text stays out of job errors.
    return {}
  }
}

export interface ModelCallInfo {
  /** "Anthropic", "OpenAI-compatible endpoint api.openai.com", … */
  service: string
  timeoutMs: number
  /** Our own timeout fired (as opposed to the job's signal). */
  timedOut: boolean
}

export function classifyModelError(error: unknown, info: ModelCallInfo): ClassifiedError {
  const cause = RetryError.isInstance(error) ? error.lastError : error
  const { service } = info
  if (cause instanceof TransientError || cause instanceof PermanentError) return cause
  // The public-only fetch refused the endpoint's address: no later attempt can get through.
  const refused = findOutboundRefusal(cause)
  if (refused) return new PermanentError(`${service} was not called: ${refused.message}`, { service, code: 'outbound_refused', cause })
  if (info.timedOut) return new TransientError(`${service} did not answer within ${info.timeoutMs} ms`, { service, code: 'timeout', cause })

  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode
    const provider = readProviderError(cause.responseBody)
    const message = provider.message ?? cause.message
    if (status === undefined) return new TransientError(`${service} could not be reached: ${message}`, { service, cause })
    const detail = `${status}${provider.type ? ` ${provider.type}` : ''}`
    // Quota exhaustion arrives as 429 but waiting does not help: someone must top up the account.
    if (provider.type === 'insufficient_quota' || (!isTransientStatus(status))) {
      return new PermanentError(`${service} rejected the request (${detail}): ${message}`, { service, status, code: provider.type, cause })
    }
    return new TransientError(`${service} is unavailable right now (${detail}): ${message}`, {
      service, status, code: provider.type, retryAfterMs: parseRetryAfter(cause.responseHeaders), cause,
    })
  }
  if (LoadAPIKeyError.isInstance(cause)) return new PermanentError(`${service}: ${cause.message}`, { service, cause })
  if (isNetworkError(cause)) return new TransientError(`${service} could not be reached: ${messageOf(cause)}`, { service, cause })
  return classifyError(cause)
}
