// Slack request signing (v0): HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the app's signing
// secret. The timestamp window stops a captured request from being replayed later (or earlier:
// a timestamp from the future is as suspicious as a stale one).
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SLACK_REPLAY_WINDOW_SECONDS = 5 * 60

export type SlackSignatureFailure = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature'

export type SlackSignedHeaders
  = | { ok: true, timestamp: string, signature: string }
    | { ok: false, reason: SlackSignatureFailure }

const SIGNATURE_FORMAT = /^v0=[0-9a-f]{64}$/

/** Reads the two signing headers and checks the replay window; the HMAC is checked per secret. */
export function readSlackSignedHeaders(headers: Record<string, string | undefined>, nowMs = Date.now()): SlackSignedHeaders {
  const timestamp = headers['x-slack-request-timestamp']?.trim()
  const signature = headers['x-slack-signature']?.trim()
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'stale_timestamp' }
  if (!SIGNATURE_FORMAT.test(signature)) return { ok: false, reason: 'bad_signature' }
  return { ok: true, timestamp, signature }
}

export function computeSlackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest('hex')}`
}

/** Constant-time comparison of the expected and the received signature. */
export function slackSignatureMatches(signingSecret: string, timestamp: string, signature: string, rawBody: string): boolean {
  if (!signingSecret) return false
  const expected = Buffer.from(computeSlackSignature(signingSecret, timestamp, rawBody), 'utf8')
  const received = Buffer.from(signature, 'utf8')
  return expected.length === received.length && timingSafeEqual(expected, received)
}

/** The whole check for one secret: headers present, timestamp fresh, HMAC equal. */
export function verifySlackSignature(input: { rawBody: string, headers: Record<string, string | undefined>, signingSecret: string, nowMs?: number }): { ok: true } | { ok: false, reason: SlackSignatureFailure } {
  const signed = readSlackSignedHeaders(input.headers, input.nowMs)
  if (!signed.ok) return signed
  return slackSignatureMatches(input.signingSecret, signed.timestamp, signed.signature, input.rawBody)
    ? { ok: true }
    : { ok: false, reason: 'bad_signature' }
}
