import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { derivedId } from '#layers/discubot/server/utils/derived-id'

describe('derivedId', () => {
  it('is a stable RFC 9562 version-8 UUID of its parts', () => {
    fc.assert(fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (parts) => {
      const id = derivedId(...parts)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(derivedId(...parts)).toBe(id)
    }))
  })

  it('differs when the parts differ, including where the boundaries fall', () => {
    expect(derivedId('webhook-job', 'slack', 'T1:C1:1.0')).not.toBe(derivedId('webhook-job', 'slack', 'T1:C1:1.1'))
    expect(derivedId('ab', 'c')).not.toBe(derivedId('a', 'bc'))
  })
})
