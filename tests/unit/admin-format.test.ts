import { describe, expect, it } from 'vitest'
import { durationBetween, formatDuration } from '../../app/utils/format'
import { safeRedirect } from '../../app/utils/redirect'

describe('formatDuration', () => {
  it('uses at most two units and drops a zero tail', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(420)).toBe('420 ms')
    expect(formatDuration(1500)).toBe('1.5 s')
    expect(formatDuration(42_000)).toBe('42 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(formatDuration(86_400_000)).toBe('24 h')
    expect(formatDuration(90_000_000)).toBe('25 h')
    expect(formatDuration(3 * 86_400_000 + 3_600_000)).toBe('3 d 1 h')
  })

  it('measures between two timestamps, or says nothing when one is missing', () => {
    expect(durationBetween('2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z')).toBe(2000)
    expect(durationBetween('2026-01-01T00:00:00Z', null)).toBeNull()
  })
})

describe('safeRedirect', () => {
  it('keeps same-site paths and refuses anything else', () => {
    expect(safeRedirect('/jobs?status=failed')).toBe('/jobs?status=failed')
    expect(safeRedirect('//evil.example/x')).toBe('/')
    expect(safeRedirect('https://evil.example')).toBe('/')
    expect(safeRedirect(undefined)).toBe('/')
  })
})
