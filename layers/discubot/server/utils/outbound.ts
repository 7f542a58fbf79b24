// Requests to addresses a team owner typed (a model endpoint, later an alert webhook). The
// instance's own team may point them anywhere, its LAN model server included; every other team
// is a tenant: its URLs may not reach this machine, its private network or a cloud metadata
// service, and the instance's NUXT_* credentials never travel with its requests.
import { lookup } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'

export interface OutboundPolicy {
  /** The instance's NUXT_* credentials (model keys, the Notion token) may serve this config. */
  instanceCredentials: boolean
  /** Requests may reach loopback, private, link-local and metadata addresses. */
  privateNetwork: boolean
}

/** The default team's configs: the operator's own. */
export const OPERATOR_POLICY: OutboundPolicy = { instanceCredentials: true, privateNetwork: true }
/** Every other team's configs. */
export const TENANT_POLICY: OutboundPolicy = { instanceCredentials: false, privateNetwork: false }

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32],
] as const) blocked.addSubnet(net, prefix, 'ipv6')

/** Loopback, private, link-local (169.254.169.254 is the cloud metadata service), CGNAT, multicast, reserved. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family !== 6) return true
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  return mapped ? blocked.check(mapped, 'ipv4') : blocked.check(address, 'ipv6')
}

export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OutboundRefused'
  }
}

/** The refusal behind an error of a public-only request (thrown before it, or by its DNS lookup). */
export function findOutboundRefusal(error: unknown): Error | undefined {
  for (let e = error as { name?: string, code?: string, cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.name === 'OutboundRefused' || e.code === 'EOUTBOUNDREFUSED') return e as Error
  }
  return undefined
}

function refusal(host: string, address: string) {
  return new OutboundRefused(`${host} resolves to ${address}, a private or local address; only public addresses are allowed`)
}

async function resolveAll(host: string): Promise<string[]> {
  if (isIP(host)) return [host]
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(new OutboundRefused(`${host} cannot be resolved (${error.code ?? error.message})`))
      else resolve(addresses.map(a => a.address))
    })
  })
}

/** Refuses (OutboundRefused) a URL whose host is, or resolves to, a private or local address. */
export async function assertPublicUrl(url: string): Promise<void> {
  const parsed = new URL(url)
  if (!/^https?:$/.test(parsed.protocol)) throw new OutboundRefused(`${parsed.protocol} URLs are not allowed; use http(s)`)
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  for (const address of await resolveAll(host)) {
    if (isPrivateAddress(address)) throw refusal(host, address)
  }
}

/** A DNS lookup that fails for private addresses: checked again at connect time, so a name cannot rebind. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0)
    const list = addresses as { address: string, family: number }[]
    const bad = list.find(a => isPrivateAddress(a.address))
    if (bad) return callback(Object.assign(refusal(hostname, bad.address), { code: 'EOUTBOUNDREFUSED' }), '', 0)
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list)
    callback(null, list[0]!.address, list[0]!.family)
  })
}

let publicAgent: Agent | undefined

/**
 * `fetch` that connects only to public addresses (literal IPs included: undici skips the lookup
 * for those, so they are checked before the request).
 */
export const publicOnlyFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : input.toString())
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) && isPrivateAddress(host)) throw refusal(host, host)
  publicAgent ??= new Agent({ connect: { lookup: publicLookup } })
  return undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: publicAgent })
}) as unknown as typeof fetch
