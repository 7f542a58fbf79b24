// Slack and Figma are told to call NUXT_PUBLIC_BASE_URL. Left at its default (or pointed at this
// machine), that is an address they cannot reach; when the admin is meanwhile opened at another
// host (a tunnel, a proxy), the operator has a public address and forgot to say so. The log says
// it once per process, and the Sources page shows it as a banner.
import { isIP } from 'node:net'
import { consola } from 'consola'
import { isPrivateAddress } from '../utils/outbound'

const log = consola.withTag('reachability')

/** localhost, a loopback or private address: nowhere Slack or Figma can send a request. */
function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  return isIP(host) !== 0 && isPrivateAddress(host)
}

export interface ReachabilityInput {
  baseUrl: string
  /** The Host the request came for (X-Forwarded-Host behind a proxy). */
  requestHost: string | undefined
  production: boolean
}

export const REACHABILITY_HEADLINE = 'Slack and Figma must reach this server at a public https URL'

/** What is wrong and what to do, in words (the headline says why it matters), or null. */
export function reachabilityProblem({ baseUrl, requestHost, production }: ReachabilityInput): string | null {
  if (!production || !requestHost || !URL.canParse(baseUrl)) return null
  const base = new URL(baseUrl)
  if (!isLocalHost(base.hostname) || base.host.toLowerCase() === requestHost.toLowerCase()) return null
  return `NUXT_PUBLIC_BASE_URL is ${base.origin}, which they cannot reach, while Discubot is being opened at ${requestHost}: set NUXT_PUBLIC_BASE_URL to the public address (e.g. https://${requestHost}) and restart.`
}

let warned = false

/** Logs the problem the first time a request shows it; later requests cost a comparison. */
export function noteRequestHost(input: ReachabilityInput): void {
  if (warned) return
  const problem = reachabilityProblem(input)
  if (!problem) return
  warned = true
  log.warn(`${REACHABILITY_HEADLINE}. ${problem}`)
}
