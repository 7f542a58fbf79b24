// Which addresses a tenant's URLs may reach: public ones only.
import { describe, expect, it } from 'vitest'
import { assertPublicUrl, isPrivateAddress, OutboundRefused, publicOnlyFetch } from '#layers/discubot/server/utils/outbound'
import { isNotionDatabaseRef } from '#layers/discubot/shared/config-input'

describe('isPrivateAddress', () => {
  it('flags loopback, private, link-local (metadata), CGNAT, unspecified and mapped forms', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(address), address).toBe(true)
    }
  })

  it('lets public addresses through', () => {
    for (const address of ['1.1.1.1', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false)
    }
  })

  it('treats what is not an IP as unsafe', () => {
    expect(isPrivateAddress('not-an-ip')).toBe(true)
  })
})

describe('assertPublicUrl', () => {
  it('refuses literal private addresses, localhost and non-http schemes', async () => {
    for (const url of ['http://127.0.0.1:8080/v1', 'http://[::1]/', 'http://169.254.169.254/latest', 'http://localhost:11434/v1', 'ftp://example.com/']) {
      await expect(assertPublicUrl(url), url).rejects.toBeInstanceOf(OutboundRefused)
    }
  })

  it('accepts a public literal address', async () => {
    await expect(assertPublicUrl('https://1.1.1.1/v1')).resolves.toBeUndefined()
  })
})

describe('publicOnlyFetch', () => {
  it('never connects to a private address, even when asked directly', async () => {
    await expect(publicOnlyFetch('http://127.0.0.1:59999/')).rejects.toThrow(/private or local address/)
    await expect(publicOnlyFetch('http://localhost:59999/')).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'EOUTBOUNDREFUSED' }) })
  })
})

describe('isNotionDatabaseRef', () => {
  it('accepts ids and Notion URLs, nothing else', () => {
    expect(isNotionDatabaseRef('0123456789abcdef0123456789abcdef')).toBe(true)
    expect(isNotionDatabaseRef('01234567-89ab-cdef-0123-456789abcdef')).toBe(true)
    expect(isNotionDatabaseRef('https://www.notion.so/acme/Tasks-0123456789abcdef0123456789abcdef?v=1')).toBe(true)
    expect(isNotionDatabaseRef('https://acme.notion.site/0123456789abcdef0123456789abcdef')).toBe(true)
    for (const bad of ['../../v1/users', 'db', 'https://evil.example/0123456789abcdef0123456789abcdef', 'http://www.notion.so/0123456789abcdef0123456789abcdef']) {
      expect(isNotionDatabaseRef(bad), bad).toBe(false)
    }
  })
})
