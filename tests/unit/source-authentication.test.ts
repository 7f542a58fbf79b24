// Slack v0 signatures and Figma passcodes: the only thing between the internet and our queue.
import { describe, expect, it } from 'vitest'
import { computeSlackSignature, readSlackSignedHeaders, SLACK_REPLAY_WINDOW_SECONDS, verifySlackSignature } from '#layers/discubot/server/sources/slack/signature'
import { figmaPasscodeMatches } from '#layers/discubot/server/sources/figma/passcode'
import { signedSlackHeaders, slackSignature } from '../standins/signing'

// The vector from ../shared/reference/slack.md §2.
const VECTOR = {
  secret: 'test-signing-secret',
  timestamp: '1700000000',
  body: '{"type":"url_verification","token":"t","challenge":"abc123"}',
  signature: 'v0=2bf2ca031dc95e7f63e7c5509a22299a8f25fb68a6c677adc8697f7b7e4656cd',
}
const VECTOR_NOW_MS = Number(VECTOR.timestamp) * 1000

const vectorHeaders = (overrides: Record<string, string | undefined> = {}) => ({
  'x-slack-request-timestamp': VECTOR.timestamp,
  'x-slack-signature': VECTOR.signature,
  ...overrides,
})

describe('Slack request signature', () => {
  it('reproduces the reference test vector', () => {
    expect(computeSlackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature)
    // The test helper that signs e2e requests agrees with it.
    expect(slackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature)
  })

  it('accepts the vector request at its own time', () => {
    expect(verifySlackSignature({ rawBody: VECTOR.body, headers: vectorHeaders(), signingSecret: VECTOR.secret, nowMs: VECTOR_NOW_MS })).toEqual({ ok: true })
  })

  it('accepts a freshly signed request', () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1' })
    expect(verifySlackSignature({ rawBody: body, headers: signedSlackHeaders(body, 's3cret'), signingSecret: 's3cret' })).toEqual({ ok: true })
  })

  it('rejects a tampered body', () => {
    const tampered = VECTOR.body.replace('abc123', 'abc124')
    expect(verifySlackSignature({ rawBody: tampered, headers: vectorHeaders(), signingSecret: VECTOR.secret, nowMs: VECTOR_NOW_MS })).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('rejects a whitespace change in the raw body (signatures cover bytes, not JSON)', () => {
    const reformatted = JSON.stringify(JSON.parse(VECTOR.body), null, 1)
    expect(verifySlackSignature({ rawBody: reformatted, headers: vectorHeaders(), signingSecret: VECTOR.secret, nowMs: VECTOR_NOW_MS }).ok).toBe(false)
  })

  it('rejects the wrong secret and an empty secret', () => {
    expect(verifySlackSignature({ rawBody: VECTOR.body, headers: vectorHeaders(), signingSecret: 'other-secret', nowMs: VECTOR_NOW_MS })).toEqual({ ok: false, reason: 'bad_signature' })
    expect(verifySlackSignature({ rawBody: VECTOR.body, headers: vectorHeaders(), signingSecret: '', nowMs: VECTOR_NOW_MS })).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('rejects a signature of the wrong length or format without throwing', () => {
    for (const signature of [VECTOR.signature.slice(0, -2), `${VECTOR.signature}00`, VECTOR.signature.toUpperCase().replace('V0', 'v0'), 'v1=abc', 'garbage']) {
      expect(verifySlackSignature({ rawBody: VECTOR.body, headers: vectorHeaders({ 'x-slack-signature': signature }), signingSecret: VECTOR.secret, nowMs: VECTOR_NOW_MS })).toEqual({ ok: false, reason: 'bad_signature' })
    }
  })

  it('rejects stale and future timestamps beyond 5 minutes, both directions', () => {
    const window = SLACK_REPLAY_WINDOW_SECONDS * 1000
    const check = (nowMs: number) => verifySlackSignature({ rawBody: VECTOR.body, headers: vectorHeaders(), signingSecret: VECTOR.secret, nowMs })
    expect(check(VECTOR_NOW_MS + window)).toEqual({ ok: true })
    expect(check(VECTOR_NOW_MS - window)).toEqual({ ok: true })
    expect(check(VECTOR_NOW_MS + window + 1000)).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(check(VECTOR_NOW_MS - window - 1000)).toEqual({ ok: false, reason: 'stale_timestamp' })
  })

  it('rejects a correctly signed request replayed 10 minutes later', () => {
    const body = '{"type":"event_callback"}'
    const signedAt = Math.floor(Date.now() / 1000) - 600
    expect(verifySlackSignature({ rawBody: body, headers: signedSlackHeaders(body, 'k', { timestamp: signedAt }), signingSecret: 'k' })).toEqual({ ok: false, reason: 'stale_timestamp' })
  })

  it('rejects missing headers and a non-numeric timestamp', () => {
    expect(readSlackSignedHeaders({}, VECTOR_NOW_MS)).toEqual({ ok: false, reason: 'missing_headers' })
    expect(readSlackSignedHeaders(vectorHeaders({ 'x-slack-signature': undefined }), VECTOR_NOW_MS)).toEqual({ ok: false, reason: 'missing_headers' })
    expect(readSlackSignedHeaders(vectorHeaders({ 'x-slack-request-timestamp': undefined }), VECTOR_NOW_MS)).toEqual({ ok: false, reason: 'missing_headers' })
    expect(readSlackSignedHeaders(vectorHeaders({ 'x-slack-request-timestamp': '1700000000.5' }), VECTOR_NOW_MS)).toEqual({ ok: false, reason: 'bad_timestamp' })
    expect(readSlackSignedHeaders(vectorHeaders({ 'x-slack-request-timestamp': 'soon' }), VECTOR_NOW_MS)).toEqual({ ok: false, reason: 'bad_timestamp' })
  })
})

describe('Figma passcode', () => {
  it('matches only the exact passcode', () => {
    expect(figmaPasscodeMatches('s3cret', 's3cret')).toBe(true)
    expect(figmaPasscodeMatches('s3cret ', 's3cret')).toBe(false)
    expect(figmaPasscodeMatches('S3CRET', 's3cret')).toBe(false)
    expect(figmaPasscodeMatches('s3cre', 's3cret')).toBe(false)
    expect(figmaPasscodeMatches('a-much-longer-passcode-than-the-stored-one', 's3cret')).toBe(false)
  })

  it('never matches when either side is missing or not a string', () => {
    expect(figmaPasscodeMatches('', '')).toBe(false)
    expect(figmaPasscodeMatches('s3cret', undefined)).toBe(false)
    expect(figmaPasscodeMatches('s3cret', null)).toBe(false)
    expect(figmaPasscodeMatches(undefined, 's3cret')).toBe(false)
    expect(figmaPasscodeMatches(123456, '123456')).toBe(false)
  })
})
