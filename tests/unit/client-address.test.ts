// Who the sign-in limits count: the socket's address unless it is a trusted proxy, then the
// right-most X-Forwarded-For hop that is not a trusted proxy itself.
import { describe, expect, it } from 'vitest'
import { addressLimitKey, clientAddress, parseTrustedProxies } from '#layers/discubot/server/auth/client-address'
import { settingsFromEnv } from '#layers/discubot/server/utils/settings'

const none = parseTrustedProxies('')

describe('clientAddress', () => {
  it('is the socket address when no X-Forwarded-For is sent', () => {
    expect(clientAddress('203.0.113.7', undefined, none)).toBe('203.0.113.7')
    expect(clientAddress('203.0.113.7', undefined, parseTrustedProxies('10.0.0.1'))).toBe('203.0.113.7')
    // A trusted proxy that forwarded nothing is the only address there is.
    expect(clientAddress('10.0.0.1', undefined, parseTrustedProxies('10.0.0.1'))).toBe('10.0.0.1')
  })

  it('ignores X-Forwarded-For from a socket that is not a trusted proxy', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', none)).toBe('203.0.113.7')
    expect(clientAddress('203.0.113.7', '198.51.100.1', parseTrustedProxies('10.0.0.1, 127.0.0.1'))).toBe('203.0.113.7')
  })

  it('believes the hop a trusted proxy appended, not what the client wrote before it', () => {
    const trusted = parseTrustedProxies('127.0.0.1')
    expect(clientAddress('127.0.0.1', '198.51.100.1', trusted)).toBe('198.51.100.1')
    expect(clientAddress('127.0.0.1', '1.1.1.1, 2.2.2.2, 198.51.100.1', trusted)).toBe('198.51.100.1')
  })

  it('walks a chain of trusted proxies from the right', () => {
    const trusted = parseTrustedProxies('10.0.0.0/8,192.168.1.5')
    // client → 10.1.2.3 (edge) → 192.168.1.5 → 10.0.0.9 (socket)
    expect(clientAddress('10.0.0.9', 'forged, 198.51.100.1, 10.1.2.3, 192.168.1.5', trusted)).toBe('198.51.100.1')
    // Every hop trusted: the left-most one is the client.
    expect(clientAddress('10.0.0.9', '10.4.4.4, 10.1.2.3', trusted)).toBe('10.4.4.4')
  })

  it('matches IPv4 and IPv6 CIDR ranges', () => {
    const trusted = parseTrustedProxies('172.16.0.0/12, fd00::/8')
    expect(clientAddress('172.31.255.1', '198.51.100.1', trusted)).toBe('198.51.100.1')
    expect(clientAddress('172.32.0.1', '198.51.100.1', trusted)).toBe('172.32.0.1')
    expect(clientAddress('fd12:3456::1', '2001:db8::42', trusted)).toBe('2001:db8::42')
    expect(clientAddress('fe80::1', '2001:db8::42', trusted)).toBe('fe80::1')
  })

  it('treats an IPv4 client reached over IPv6 as the IPv4 client, in either list', () => {
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1', parseTrustedProxies('127.0.0.1'))).toBe('198.51.100.1')
    expect(clientAddress('127.0.0.1', '198.51.100.1', parseTrustedProxies('::ffff:127.0.0.0/104'))).toBe('198.51.100.1')
    expect(clientAddress('::ffff:203.0.113.7', undefined, none)).toBe('203.0.113.7')
  })

  it('reads hops written with a port, and stops at a hop no proxy would write', () => {
    const trusted = parseTrustedProxies('127.0.0.1')
    expect(clientAddress('127.0.0.1', '198.51.100.1:51234', trusted)).toBe('198.51.100.1')
    expect(clientAddress('127.0.0.1', '[2001:db8::42]:443', trusted)).toBe('2001:db8::42')
    expect(clientAddress('127.0.0.1', '198.51.100.1, not-an-address', trusted)).toBe('127.0.0.1')
  })

  it('has no address for a socket without one', () => {
    expect(clientAddress(undefined, '198.51.100.1', parseTrustedProxies('127.0.0.1'))).toBeUndefined()
  })
})

describe('parseTrustedProxies (NUXT_TRUSTED_PROXIES)', () => {
  it('refuses entries that are not addresses or ranges, naming them', () => {
    for (const entry of ['localhost', '10.0.0.0/33', '::1/129', '10.0.0', '10.0.0.1/', '10.0.0.1/8x', '*']) {
      expect(() => parseTrustedProxies(`127.0.0.1, ${entry}`), entry).toThrow(`"${entry}"`)
    }
  })

  it('stops the server from starting with a wrong list', () => {
    expect(() => settingsFromEnv({ NUXT_TRUSTED_PROXIES: '127.0.0.1, proxy.internal' })).toThrow(/proxy\.internal/)
    expect(settingsFromEnv({ NUXT_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8, ::1' }).trustedProxies).toBe('127.0.0.1, 10.0.0.0/8, ::1')
  })
})

describe('addressLimitKey', () => {
  it('counts an IPv4 address alone and an IPv6 client by its /64', () => {
    expect(addressLimitKey('203.0.113.7')).toBe('203.0.113.7')
    expect(addressLimitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(addressLimitKey('2001:db8:1:2:bbbb::9')).toBe(addressLimitKey('2001:db8:1:2:aaaa::1'))
    expect(addressLimitKey('2001:db8:1:3::1')).not.toBe(addressLimitKey('2001:db8:1:2::1'))
    expect(addressLimitKey(undefined)).toBe('unknown')
  })
})
