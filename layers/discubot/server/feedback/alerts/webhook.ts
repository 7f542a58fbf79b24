// The outgoing alert webhook (../shared/reference/observability.md §4): a JSON POST whose exact bytes are
// signed with the team's secret — `X-Discubot-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
// with `X-Discubot-Timestamp` (unix seconds) — and `X-Discubot-Delivery`, the same on every retry.
// 2xx is delivered; 408/425/429/5xx and network errors are retried; any other answer fails for good.
import { createHmac, randomBytes } from 'node:crypto'
import { isNetworkError, isTransientStatus, messageOf, parseRetryAfter, PermanentError, TransientError } from '../../utils/errors'
import { findOutboundRefusal, publicOnlyFetch, type OutboundPolicy } from '../../utils/outbound'

const SERVICE = 'The alert webhook'

/** A new signing secret, shown to the owner once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

export function signAlertBody(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

export interface AlertWebhookRequest {
  url: string
  secret: string
  deliveryId: string
  event: string
  body: unknown
  /** A tenant's URL must resolve to a public address at connect time too. */
  policy: OutboundPolicy
  timeoutMs: number
  signal?: AbortSignal
}

/** Sends one alert; answers the HTTP status of a delivered one, throws a classified error otherwise. */
export async function postAlertWebhook(request: AlertWebhookRequest, now = Date.now()): Promise<number> {
  const body = JSON.stringify(request.body)
  const timestamp = String(Math.floor(now / 1000))
  const timeout = AbortSignal.timeout(request.timeoutMs)
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout
  const send = request.policy.privateNetwork ? fetch : publicOnlyFetch
  let response: Response
  try {
    response = await send(request.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Discubot-Alerts',
        'X-Discubot-Event': request.event,
        'X-Discubot-Delivery': request.deliveryId,
        'X-Discubot-Timestamp': timestamp,
        'X-Discubot-Signature': signAlertBody(request.secret, timestamp, body),
      },
      body,
      // A redirect could lead anywhere; the endpoint is the URL the owner saved.
      redirect: 'manual',
      signal,
    })
    await response.body?.cancel().catch(() => {})
  }
  catch (error) {
    const refused = findOutboundRefusal(error)
    if (refused) throw new PermanentError(`${SERVICE} was not called: ${refused.message}`, { service: SERVICE, code: 'outbound_refused' })
    const what = timeout.aborted ? `did not answer within ${request.timeoutMs} ms` : isNetworkError(error) ? `could not be reached (${messageOf(error)})` : messageOf(error)
    throw new TransientError(`${SERVICE} ${what}`, { service: SERVICE, cause: error })
  }
  if (response.status >= 200 && response.status < 300) return response.status
  const message = `${SERVICE} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
  if (isTransientStatus(response.status)) throw new TransientError(message, { service: SERVICE, status: response.status, retryAfterMs: parseRetryAfter(response.headers) })
  throw new PermanentError(message, { service: SERVICE, status: response.status })
}
