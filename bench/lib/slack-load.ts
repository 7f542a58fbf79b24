// Load on the built server: signed Slack app_mention deliveries (each its own event and thread),
// and the empty route next to them. As fast as answered through autocannon (closed loop), or at a
// steady rate through the paced open-loop generator.
import autocannon, { type Options, type Result } from 'autocannon'
import { signedSlackHeaders, slackAppMention } from '../../tests/standins/signing'
import { pacedLoad, type PacedOptions, type PacedRequest, type PacedResult } from './paced-load'

/** Closed loop: every connection sends its next request as soon as the last is answered. */
export interface LoadOptions {
  /** The longest the load runs. */
  durationS: number
  connections: number
  /** Ends the load early when it settles (e.g. when the work measured under load is done). */
  until?: Promise<unknown>
}

export interface LoadResult {
  sent: number
  ok: number
  rps: number
  p50: number
  p99: number
  failures: number
}

export interface SlackTarget {
  url: string
  signingSecret: string
  teamId: string
  channel: string
  /** Called with every thread root the load mentions (a stand-in can seed the thread). */
  onThread?: (ts: string) => void
}

let seq = 0
const RUN = Math.floor(Date.now() / 1000) % 100_000

/** A fresh message ts for every delivery: the dedupe key is (team, channel, ts). */
function nextTs(): string {
  seq++
  return `${1_750_000_000 + RUN * 1000 + Math.floor(seq / 1_000_000)}.${String(seq % 1_000_000).padStart(6, '0')}`
}

function summarize(result: Result): LoadResult {
  return {
    sent: result.requests.total,
    ok: result['2xx'],
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  }
}

/** autocannon's instance can be stopped; its promise form cannot, so wrap the callback form. */
function run(options: Options, until?: Promise<unknown>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => error ? reject(error) : resolve(result))
    void until?.then(() => instance.stop(), () => instance.stop())
  })
}

/** A signed app_mention of a new thread: its own event id, its own dedupe key. */
function nextDelivery(target: SlackTarget): PacedRequest {
  const ts = nextTs()
  target.onThread?.(ts)
  const body = JSON.stringify(slackAppMention({ teamId: target.teamId, channel: target.channel, ts, eventId: `EvBench${RUN}x${seq}` }))
  return { method: 'POST', path: '/api/webhooks/slack', headers: signedSlackHeaders(body, target.signingSecret), body }
}

export async function slackWebhookLoad(target: SlackTarget, options: LoadOptions): Promise<LoadResult> {
  const result = await run({
    url: target.url,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    requests: [{
      method: 'POST',
      path: '/api/webhooks/slack',
      setupRequest: request => ({ ...request, ...nextDelivery(target) }),
    }],
  }, options.until)
  return summarize(result)
}

export function pacedSlackWebhooks(target: SlackTarget, options: PacedOptions): Promise<PacedResult> {
  return pacedLoad(target.url, () => nextDelivery(target), options)
}

export function pacedPing(url: string, options: PacedOptions): Promise<PacedResult> {
  return pacedLoad(url, () => ({ method: 'GET', path: '/api/ping' }), options)
}

export async function pingLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const result = await run({
    url: `${url}/api/ping`,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
  }, options.until)
  return summarize(result)
}
