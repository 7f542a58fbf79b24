// Who is asking, for the sign-in limits: the socket's address, unless that is a proxy named in
// NUXT_TRUSTED_PROXIES. Then X-Forwarded-For is read from the right, each trusted proxy having
// appended the address it saw, and the first entry that is not a trusted proxy is the client.
// Entries further left were written by the client itself and are never believed.
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

type Address = ipaddr.IPv4 | ipaddr.IPv6
export type TrustedProxies = readonly (readonly [Address, number])[]

/** An IPv4 client reached over IPv6 (`::ffff:10.0.0.1`) is the IPv4 client it is. */
function unmapped(address: Address): Address {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address
}

/** A bare address, or one with a port as some proxies write it (`1.2.3.4:5678`, `[2001:db8::1]:443`). */
function parseHop(text: string | undefined): Address | undefined {
  const value = text?.trim() ?? ''
  const bare = isIP(value) ? value : /^\[([^\]]+)\](?::\d+)?$/.exec(value)?.[1] ?? /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value)?.[1]
  return bare && isIP(bare) ? unmapped(ipaddr.parse(bare)) : undefined
}

/** `NUXT_TRUSTED_PROXIES`: comma-separated addresses and CIDR ranges, IPv4 or IPv6. Throws on anything else. */
export function parseTrustedProxies(list: string): TrustedProxies {
  return list.split(',').map(entry => entry.trim()).filter(Boolean).map((entry) => {
    const [text, bits] = entry.split('/') as [string, string | undefined]
    const address = isIP(text) ? ipaddr.parse(text) : undefined
    const max = address?.kind() === 'ipv4' ? 32 : 128
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN
    if (!address || !(prefix >= 0 && prefix <= max)) throw new Error(`NUXT_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`)
    // `::ffff:10.0.0.0/104` names IPv4 proxies; match them as IPv4 like the addresses they will come from.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) return [(address as ipaddr.IPv6).toIPv4Address(), prefix - 96] as const
    return [address, prefix] as const
  })
}

function isTrusted(address: Address, trusted: TrustedProxies): boolean {
  return trusted.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits))
}

/**
 * The client's address as text (IPv4 dotted, IPv6 in its short form), or undefined when the
 * socket has none (it closed).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string | undefined {
  let address = parseHop(socketAddress)
  const hops = (forwardedFor ?? '').split(',')
  while (address && isTrusted(address, trusted) && hops.length > 0) {
    const next = parseHop(hops.pop())
    // A hop no proxy would write: stop at the proxy that passed it rather than believe what is left of it.
    if (!next) break
    address = next
  }
  return address?.toString()
}

/**
 * What the address limit counts by: an IPv4 address, or an IPv6 client's /64, since one client
 * usually holds a whole /64 and could otherwise take a fresh address for every try.
 */
export function addressLimitKey(address: string | undefined): string {
  const parsed = parseHop(address)
  if (!parsed) return 'unknown'
  if (parsed.kind() === 'ipv4') return parsed.toString()
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4).concat([0, 0, 0, 0])
  return `${new ipaddr.IPv6(prefix).toString()}/64`
}
