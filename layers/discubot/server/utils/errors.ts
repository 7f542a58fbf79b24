// Every failure an external call can end in is one of two kinds, and the pipeline acts on the kind:
// transient → retry the stage later (honouring Retry-After); permanent → fail the job at once.

export interface ErrorDetails {
  /** The service that answered, for the message an admin reads ("Notion", "Slack", …). */
  service?: string
  status?: number
  code?: string
  retryAfterMs?: number
  cause?: unknown
}

export class TransientError extends Error {
  readonly kind = 'transient' as const
  readonly service?: string
  readonly status?: number
  readonly code?: string
  readonly retryAfterMs?: number
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, { cause: details.cause })
    this.name = 'TransientError'
    Object.assign(this, { service: details.service, status: details.status, code: details.code, retryAfterMs: details.retryAfterMs })
  }
}

export class PermanentError extends Error {
  readonly kind = 'permanent' as const
  readonly service?: string
  readonly status?: number
  readonly code?: string
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, { cause: details.cause })
    this.name = 'PermanentError'
    Object.assign(this, { service: details.service, status: details.status, code: details.code })
  }
}

/** The worker lost its lease: another instance owns the job now; stop without writing anything. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Lease on job ${jobId} was lost`)
    this.name = 'LeaseLostError'
  }
}

export type ClassifiedError = TransientError | PermanentError

/** HTTP statuses that mean "try again later". Everything else 4xx is the request's fault. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status === 529 || status >= 500
}

/** IMF-fixdate, RFC 850 and asctime forms (RFC 9110 §5.6.7) all start with a weekday and carry hh:mm:ss. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? .*\b\d{2}:\d{2}:\d{2}\b/

/** `Retry-After` as seconds or an HTTP date, or `retry-after-ms`; undefined when absent or unreadable. */
export function parseRetryAfter(headers: { get(name: string): string | null | undefined } | Record<string, unknown> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined
  const read = (name: string): string | undefined => {
    if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined
    const record = headers as Record<string, unknown>
    const value = record[name] ?? record[name.toLowerCase()] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1]
    return Array.isArray(value) ? String(value[0]) : value == null ? undefined : String(value)
  }
  const ms = read('retry-after-ms')
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms))
  const value = read('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  // Only an HTTP date (weekday, then a time of day): Date.parse alone reads junk such as "-1" or
  // "abc 12" as dates in 2001, and a 0 ms wait would replace the exponential backoff.
  if (!HTTP_DATE.test(value)) return undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const NETWORK_CODES = /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|UND_ERR_\w+)$/

/** Network failures and timeouts: the request may not have reached the service. */
export function isNetworkError(error: unknown): boolean {
  for (let e = error as { name?: string, code?: string, cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true
    if (typeof e.code === 'string' && NETWORK_CODES.test(e.code)) return true
    if (e.name === 'TypeError' && /fetch failed|terminated|socket/i.test(String((e as Error).message))) return true
  }
  return false
}

/**
 * The fallback for errors no adapter classified: network failures and timeouts are transient,
 * classified errors keep their kind, and anything else is treated as transient so that the
 * attempt limit (not a guess) decides when to give up.
 */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof TransientError || error instanceof PermanentError) return error
  if (isNetworkError(error)) return new TransientError(`Network error: ${messageOf(error)}`, { cause: error })
  return new TransientError(messageOf(error), { cause: error })
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}
