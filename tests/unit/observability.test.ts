// The pure parts of operations: JSON log lines, the metrics guard, the start report.
import { describe, expect, it } from 'vitest'
import type { LogObject } from 'consola'
import { jsonLine } from '#layers/discubot/server/utils/logging'
import { metricsAccess } from '#layers/discubot/server/metrics/access'
import { startReportLine } from '#layers/discubot/server/bootstrap/start-report'

function logObject(overrides: Partial<LogObject> & Record<string, unknown>): LogObject {
  return { date: new Date('2026-11-27T10:00:00.000Z'), level: 3, type: 'info', tag: 'pipeline', args: [], ...overrides } as LogObject
}

describe('JSON log lines', () => {
  it('carry level, time, msg, tag, instance and the logger\'s context fields, on one line', () => {
    const line = jsonLine(logObject({ args: ['job j1: ingestion completed after %d ms', 12], jobId: 'j1', stage: 'ingestion', teamId: 't1' }), 'host-1')
    expect(line).not.toContain('\n')
    expect(JSON.parse(line)).toEqual({ level: 'info', time: '2026-11-27T10:00:00.000Z', msg: 'job j1: ingestion completed after 12 ms', tag: 'pipeline', instance: 'host-1', jobId: 'j1', stage: 'ingestion', teamId: 't1' })
  })

  it('write errors as their message with the stack beside it, and consola\'s types as standard levels', () => {
    const error = new Error('Slack answered 503\nsecond line')
    const parsed = JSON.parse(jsonLine(logObject({ type: 'fail', args: ['[engine] failed to start:', error] }), 'h'))
    expect(parsed).toMatchObject({ level: 'error', msg: '[engine] failed to start: Slack answered 503 second line', stack: expect.stringContaining('Error: Slack answered 503') })
    expect(['warn', 'debug', 'success', 'fatal', 'box'].map(type => JSON.parse(jsonLine(logObject({ type: type as LogObject['type'] }), 'h')).level)).toEqual(['warn', 'debug', 'info', 'fatal', 'info'])
  })
})

describe('metrics access', () => {
  it('is off without a token, refused without the right bearer, open with it', () => {
    expect(metricsAccess('', 'Bearer anything')).toBe('disabled')
    expect(metricsAccess('s3cret', undefined)).toBe('refused')
    expect(metricsAccess('s3cret', 'Bearer s3cre')).toBe('refused')
    expect(metricsAccess('s3cret', 'Basic s3cret')).toBe('refused')
    expect(metricsAccess('s3cret', 'Bearer s3cret')).toBe('ok')
    expect(metricsAccess('s3cret', 'bearer s3cret ')).toBe('ok')
  })
})

describe('start report', () => {
  it('says what the instance found and did, in one line', () => {
    expect(startReportLine({ instanceId: 'host-a', released: 1, staleLeases: 2, overdueTimers: 1, firedTimers: 1, queue: { pending: 7, processing: 3, oldestPendingAgeMs: 125_000 } }))
      .toBe('instance host-a started: 3 job(s) resumed (1 left by this instance\'s earlier run, 2 with an expired lease), 7 pending in the backlog (oldest 2 min), 1 overdue timer(s) found, 1 fired')
  })
})
