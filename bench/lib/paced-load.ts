// An open-loop load at a steady rate: request i leaves at start + i / rate whatever happened to
// the earlier ones, and its latency is counted from that scheduled instant. (autocannon's rate
// option sends each connection's quota back to back at the top of every second — a burst test —
// so it serves here only for as-fast-as-possible throughput.)
import { Agent, request as httpRequest } from 'node:http'
import { summarize } from './stats'

export interface PacedRequest {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
}

export interface PacedOptions {
  rate: number
  /** The longest the load runs. */
  durationS: number
  /** Ends the load early when it settles. */
  until?: Promise<unknown>
}

export interface PacedResult {
  sent: number
  ok: number
  failures: number
  /** What each failure was: an HTTP status, or the client's error (`timeout`, `ECONNRESET`). */
  failedWith: Record<string, number>
  rps: number
  p50: number
  p99: number
  max: number
}

const TIMEOUT_MS = 10_000

function send(agent: Agent, base: URL, req: PacedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: base.hostname, port: base.port, path: req.path, method: req.method, headers: req.headers, agent }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', reject)
    })
    outgoing.setTimeout(TIMEOUT_MS, () => outgoing.destroy(new Error('timeout')))
    outgoing.on('error', reject)
    outgoing.end(req.body)
  })
}

export async function pacedLoad(url: string, next: () => PacedRequest, options: PacedOptions): Promise<PacedResult> {
  const base = new URL(url)
  const agent = new Agent({ keepAlive: true, maxSockets: 512 })
  const latencies: number[] = []
  let ok = 0
  let failures = 0
  const failedWith: Record<string, number> = {}
  const failed = (why: string) => {
    failures++
    failedWith[why] = (failedWith[why] ?? 0) + 1
  }
  let stopped = false
  void options.until?.then(() => (stopped = true), () => (stopped = true))
  const inFlight = new Set<Promise<void>>()
  const interval = 1000 / options.rate
  const start = performance.now()
  let sent = 0
  for (;;) {
    const due = start + sent * interval
    if (stopped || due - start >= options.durationS * 1000) break
    const wait = due - performance.now()
    if (wait > 1) {
      await new Promise(resolve => setTimeout(resolve, wait))
      continue
    }
    sent++
    const done = send(agent, base, next()).then(
      (status) => {
        latencies.push(performance.now() - due)
        if (status >= 200 && status < 300) ok++
        else failed(String(status))
      },
      (error: NodeJS.ErrnoException) => {
        latencies.push(performance.now() - due)
        failed(error.code ?? error.message)
      },
    )
    inFlight.add(done)
    void done.finally(() => inFlight.delete(done))
  }
  await Promise.all(inFlight)
  const elapsedS = (performance.now() - start) / 1000
  agent.destroy()
  const summary = summarize(latencies)
  return { sent, ok, failures, failedWith, rps: ok / elapsedS, p50: summary.p50, p99: summary.p99, max: summary.max }
}
