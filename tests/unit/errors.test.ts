// The two kinds every external failure ends in, and the Retry-After reading that feeds the backoff.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  classifyError,
  isNetworkError,
  isTransientStatus,
  LeaseLostError,
  messageOf,
  parseRetryAfter,
  PermanentError,
  TransientError,
} from '#layers/discubot/server/utils/errors'

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0)

describe('parseRetryAfter', () => {
  it('reads delta-seconds, fractional seconds and retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'Retry-After': '120' }), NOW)).toBe(120_000)
    expect(parseRetryAfter(new Headers({ 'retry-after': ' 1.5 ' }), NOW)).toBe(1500)
    expect(parseRetryAfter(new Headers({ 'retry-after': '0' }), NOW)).toBe(0)
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }), NOW)).toBe(250)
    // retry-after-ms is the more precise of the two when a service sends both.
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250)
  })

  it('reads an HTTP date relative to now, in the IMF-fixdate and RFC 850 forms, and a past date as 0', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 12:00:30 GMT' }), NOW)).toBe(30_000)
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Monday, 23-Nov-26 12:01:00 GMT' }), NOW)).toBe(60_000)
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 12:00:00 GMT' }), NOW)).toBe(0)
  })

  it('returns undefined for absent or garbage values instead of a 0 ms wait', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined()
    expect(parseRetryAfter(new Headers(), NOW)).toBeUndefined()
    for (const garbage of ['', '   ', 'soon', '-1', '-5', '1e3', '0x10', 'abc 12', '1 2 3', 'May 1', 'Infinity', 'NaN', '12abc']) {
      expect(parseRetryAfter(new Headers({ 'retry-after': garbage }), NOW), garbage).toBeUndefined()
    }
    // An unreadable retry-after-ms falls back to Retry-After.
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': 'later', 'retry-after': '3' }), NOW)).toBe(3000)
  })

  it('reads plain header records (SDK errors) case-insensitively, and arrays by their first value', () => {
    expect(parseRetryAfter({ 'Retry-After': '7' }, NOW)).toBe(7000)
    expect(parseRetryAfter({ 'RETRY-AFTER': '8' }, NOW)).toBe(8000)
    expect(parseRetryAfter({ 'retry-after': ['9', '10'] }, NOW)).toBe(9000)
    expect(parseRetryAfter({ 'retry-after': 11 }, NOW)).toBe(11_000)
    expect(parseRetryAfter({ 'x-other': '1' }, NOW)).toBeUndefined()
  })

  it('never returns a negative or non-finite wait, whatever the header says', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (retryAfter, retryAfterMs) => {
      const value = parseRetryAfter({ 'retry-after': retryAfter, 'retry-after-ms': retryAfterMs }, NOW)
      if (value !== undefined) {
        expect(Number.isFinite(value)).toBe(true)
        expect(value).toBeGreaterThanOrEqual(0)
      }
    }))
  })
})

describe('isTransientStatus', () => {
  it('retries timeouts, conflicts, rate limits, overload and server errors', () => {
    for (const status of [408, 409, 425, 429, 500, 502, 503, 504, 529]) expect(isTransientStatus(status), String(status)).toBe(true)
  })

  it('does not retry the request\'s own faults', () => {
    for (const status of [400, 401, 403, 404, 405, 410, 413, 422]) expect(isTransientStatus(status), String(status)).toBe(false)
  })
})

describe('isNetworkError', () => {
  const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code })

  it('recognises socket codes, timeouts, aborts and undici failures, also as a cause', () => {
    expect(isNetworkError(withCode('ECONNREFUSED'))).toBe(true)
    expect(isNetworkError(withCode('ECONNRESET'))).toBe(true)
    expect(isNetworkError(withCode('UND_ERR_CONNECT_TIMEOUT'))).toBe(true)
    expect(isNetworkError(new DOMException('The operation timed out', 'TimeoutError'))).toBe(true)
    expect(isNetworkError(new DOMException('aborted', 'AbortError'))).toBe(true)
    expect(isNetworkError(new TypeError('fetch failed', { cause: withCode('ENOTFOUND') }))).toBe(true)
    expect(isNetworkError(new Error('wrapped', { cause: new Error('again', { cause: withCode('EPIPE') }) }))).toBe(true)
  })

  it('does not call ordinary errors network errors', () => {
    expect(isNetworkError(new Error('boom'))).toBe(false)
    expect(isNetworkError(withCode('EACCES'))).toBe(false)
    expect(isNetworkError(new TypeError('x is not a function'))).toBe(false)
    expect(isNetworkError(undefined)).toBe(false)
    expect(isNetworkError('ECONNRESET')).toBe(false)
  })
})

describe('classifyError', () => {
  it('keeps the kind, identity and details of an already classified error', () => {
    const transient = new TransientError('Notion: 429 rate limited', { service: 'Notion', status: 429, retryAfterMs: 2000 })
    const permanent = new PermanentError('Slack: channel_not_found', { service: 'Slack', code: 'channel_not_found' })
    expect(classifyError(transient)).toBe(transient)
    expect(classifyError(permanent)).toBe(permanent)
    expect(transient).toMatchObject({ kind: 'transient', name: 'TransientError', service: 'Notion', status: 429, retryAfterMs: 2000 })
    expect(permanent).toMatchObject({ kind: 'permanent', name: 'PermanentError', service: 'Slack', code: 'channel_not_found' })
  })

  it('makes network failures and timeouts transient, naming the cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
    const classified = classifyError(refused)
    expect(classified).toBeInstanceOf(TransientError)
    expect(classified.kind).toBe('transient')
    expect(classified.message).toBe('Network error: connect ECONNREFUSED 127.0.0.1:9')
    expect(classified.cause).toBe(refused)
    expect(classifyError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).kind).toBe('transient')
  })

  it('leaves anything unknown to the attempt limit (transient), keeping its message', () => {
    expect(classifyError(new Error('weird'))).toMatchObject({ kind: 'transient', message: 'weird' })
    expect(classifyError('a string')).toMatchObject({ kind: 'transient', message: 'a string' })
    expect(classifyError(new LeaseLostError('j1')).message).toBe('Lease on job j1 was lost')
  })

  it('messageOf falls back to the error name, and stringifies non-errors', () => {
    expect(messageOf(new RangeError(''))).toBe('RangeError')
    expect(messageOf(42)).toBe('42')
    expect(messageOf(null)).toBe('null')
  })
})
