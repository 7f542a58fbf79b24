// The HTTP edge every webhook route shares: read the body once (signatures cover the raw bytes),
// refuse what no sender of ours would send with a 4xx that says why, and turn a database failure
// into 503 so the sender retries instead of losing the delivery.
import { createError, getRequestHeaders, readRawBody, type H3Event } from 'h3'
import { DeliveryRejection, invalidDelivery } from '../sources/rejection'
import type { Delivery } from '../sources/types'
import type { WebhookSourceType } from '../../shared/domain'
import { countDelivery, type DeliveryMetricOutcome } from '../metrics/registry'
import { recordRejectedDelivery } from './inbox'

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity' }

/** Slack and Figma payloads are a few KB; anything near this is not a delivery of theirs. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024

export interface JsonDelivery {
  delivery: Delivery
  json: unknown
}

function lowerCaseHeaders(event: H3Event): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(getRequestHeaders(event))) headers[name.toLowerCase()] = value ?? undefined
  return headers
}

/** Reads and JSON-parses a webhook body, or throws a `DeliveryRejection` (413, 415, 400). */
export async function readJsonDelivery(event: H3Event, source: string): Promise<JsonDelivery> {
  const headers = lowerCaseHeaders(event)
  const declaredLength = Number(headers['content-length'])
  if (Number.isFinite(declaredLength) && declaredLength > MAX_WEBHOOK_BODY_BYTES) {
    throw new DeliveryRejection(413, `${source} webhook body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`)
  }
  const contentType = headers['content-type'] ?? ''
  if (!/^application\/json\s*(;|$)/i.test(contentType.trim())) {
    throw new DeliveryRejection(415, `${source} webhook body must be application/json, got ${contentType ? `"${contentType.slice(0, 100)}"` : 'no content type'}`)
  }
  const rawBody = (await readRawBody(event, 'utf8')) ?? ''
  if (Buffer.byteLength(rawBody, 'utf8') > MAX_WEBHOOK_BODY_BYTES) {
    throw new DeliveryRejection(413, `${source} webhook body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`)
  }
  if (rawBody.trim() === '') throw invalidDelivery(`${source} webhook body is empty`)
  let json: unknown
  try {
    json = JSON.parse(rawBody)
  }
  catch {
    throw invalidDelivery(`${source} webhook body is not valid JSON`)
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw invalidDelivery(`${source} webhook body must be a JSON object`)
  }
  return { delivery: { rawBody, headers, receivedAt: new Date() }, json }
}

/**
 * Database work of a webhook. Any failure here means "we could not commit the delivery", which
 * must be a 503 (the sender retries), never a 2xx and never a 500 that hides the cause.
 */
export async function withDatabase<T>(work: () => Promise<T>, onError: (error: unknown) => void): Promise<T> {
  try {
    return await work()
  }
  catch (error) {
    onError(error)
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: 'Database unavailable, delivery not stored; retry later' })
  }
}

function outcomeOf(answer: unknown): DeliveryMetricOutcome {
  const status = (answer as { status?: string }).status
  return status === 'accepted' || status === 'duplicate' || status === 'ignored' || status === 'unknown_workspace' ? status : 'handshake'
}

/**
 * Runs a webhook handler body, turning refusals into `{ statusCode, message }` answers. Every
 * answer is counted by outcome; a refused signature or passcode (401) is also recorded in the inbox.
 */
export async function answerWebhook<T>(source: WebhookSourceType, work: () => Promise<T>): Promise<T> {
  try {
    const answer = await work()
    countDelivery(source, outcomeOf(answer))
    return answer
  }
  catch (error) {
    if (error instanceof DeliveryRejection) {
      const rejected = error.statusCode === 401
      if (rejected) await recordRejectedDelivery(source, error.message)
      countDelivery(source, rejected ? 'rejected' : 'invalid')
      throw createError({ statusCode: error.statusCode, statusMessage: STATUS_TEXT[error.statusCode] ?? 'Bad Request', message: error.message })
    }
    countDelivery(source, 'unavailable')
    throw error
  }
}
