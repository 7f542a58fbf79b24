// The machinery every stand-in shares: a real node:http server on 127.0.0.1, a record of every
// request, and a fault queue (rate limits, 5xx, error bodies, slow answers, dropped connections)
// that tests and the chaos suite fill per route.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  /** The stand-in's name for what was called: a Slack method, `GET /v1/files/:key/comments`, … */
  route: string
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  body: string
  /** The body as the stand-in read it (JSON or form fields), merged over the query string. */
  args: Record<string, unknown>
  at: number
  /** The fault that answered instead of the stand-in, if any. */
  fault?: Fault['kind']
}

export type Fault
  /** Answer this instead (429 + Retry-After, 500, a Slack `ok:false` body, …). */
  = | { kind: 'respond', status: number, body?: unknown, headers?: Record<string, string> }
  /**
   * Answer normally, late: beyond the client's timeout the client has given up. With
   * `commitFirst` the request takes effect at once and only the answer is late (an ambiguous write).
   */
    | { kind: 'slow', delayMs: number, commitFirst?: boolean }
  /** Destroy the socket without an answer. */
    | { kind: 'drop' }

export type FaultRule = Fault & {
  /** Which route it hits (exact name or pattern); every route when absent. */
  route?: string | RegExp
  /** How many matching requests it answers (default 1). */
  times?: number
  /** How many matching requests pass untouched before it fires (e.g. fail page 2, not page 1). */
  after?: number
  /** Fire on this share of matching requests (0–1) and stay queued: background noise for chaos runs. */
  rate?: number
}

export class FaultQueue {
  private rules: (FaultRule & { left: number, skip: number })[] = []

  push(...rules: FaultRule[]): this {
    for (const rule of rules) this.rules.push({ ...rule, left: rule.times ?? 1, skip: rule.after ?? 0 })
    return this
  }

  clear() {
    this.rules = []
  }

  get pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.left, 0)
  }

  /** The first queued fault for `route`, consumed; a rule with a `rate` fires by chance and stays. */
  take(route: string): Fault | undefined {
    const matches = (rule: FaultRule) => rule.route === undefined || (typeof rule.route === 'string' ? rule.route === route : rule.route.test(route))
    const index = this.rules.findIndex(rule => matches(rule) && rule.skip === 0 && (rule.rate === undefined || Math.random() < rule.rate))
    // Every waiting rule of this route counts the request it let pass.
    for (const rule of this.rules) if (matches(rule) && rule.skip > 0) rule.skip -= 1
    if (index < 0) return undefined
    const rule = this.rules[index]!
    if (rule.rate === undefined) {
      rule.left -= 1
      if (rule.left <= 0) this.rules.splice(index, 1)
    }
    const { route: _route, times: _times, after: _after, rate: _rate, left: _left, skip: _skip, ...fault } = rule
    return fault as Fault
  }
}

export const rateLimited = (route: string | RegExp | undefined, retryAfterSeconds: number, body: unknown = { ok: false, error: 'ratelimited' }): FaultRule =>
  ({ kind: 'respond', route, status: 429, headers: { 'Retry-After': String(retryAfterSeconds) }, body })
export const serverError = (route: string | RegExp | undefined, status = 500, body: unknown = { error: 'server error' }): FaultRule =>
  ({ kind: 'respond', route, status, body })
export const slowAnswer = (route: string | RegExp | undefined, delayMs: number, options: { commitFirst?: boolean } = {}): FaultRule => ({ kind: 'slow', route, delayMs, ...options })
export const dropConnection = (route: string | RegExp | undefined): FaultRule => ({ kind: 'drop', route })

export interface StandinRequest extends Omit<RecordedRequest, 'route' | 'fault'> {
  /** Path parameters the stand-in's router matched. */
  params: Record<string, string>
}

export interface StandinAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface StandinRoute {
  name: string
  handle: (request: StandinRequest) => StandinAnswer | Promise<StandinAnswer>
  params?: Record<string, string>
}

export interface HttpStandin {
  url: string
  requests: RecordedRequest[]
  faults: FaultQueue
  stop(): Promise<void>
}

function parseBody(contentType: string, body: string): Record<string, unknown> {
  if (!body) return {}
  if (contentType.includes('application/json')) {
    const parsed = JSON.parse(body) as unknown
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : { _body: parsed }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body))
  return { _body: body }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, answer: StandinAnswer) {
  if (res.destroyed) return
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null)
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers })
  res.end(body)
}

/**
 * Starts a stand-in. `route` maps a request to its named handler (or undefined → 404 `notFound`).
 */
export async function startHttpStandin(options: {
  route: (request: Omit<StandinRequest, 'params'>) => StandinRoute | undefined
  notFound: (request: Omit<StandinRequest, 'params'>) => StandinAnswer
  badRequest: (message: string) => StandinAnswer
}): Promise<HttpStandin> {
  const requests: RecordedRequest[] = []
  const faults = new FaultQueue()

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://standin')
      const body = await readBody(req)
      const query = Object.fromEntries(url.searchParams)
      const base = { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, body, args: { ...query } as Record<string, unknown>, at: Date.now() }
      let parseError: string | undefined
      try {
        Object.assign(base.args, parseBody(String(req.headers['content-type'] ?? ''), body))
      }
      catch (error) {
        parseError = `invalid body: ${(error as Error).message}`
      }
      const matched = options.route(base)
      const record: RecordedRequest = { ...base, route: matched?.name ?? `${base.method} ${base.path}` }
      requests.push(record)

      const fault = faults.take(record.route)
      if (fault) record.fault = fault.kind
      if (fault?.kind === 'drop') {
        req.socket.destroy()
        return
      }
      if (fault?.kind === 'respond') return send(res, { status: fault.status, body: fault.body, headers: fault.headers })
      const wait = () => new Promise(resolve => setTimeout(resolve, fault?.kind === 'slow' ? fault.delayMs : 0))
      if (fault?.kind === 'slow' && !fault.commitFirst) await wait()

      let answer: StandinAnswer
      if (parseError) answer = options.badRequest(parseError)
      else if (!matched) answer = options.notFound(base)
      else answer = await matched.handle({ ...base, params: matched.params ?? {} })
      if (fault?.kind === 'slow' && fault.commitFirst) await wait()
      send(res, answer)
    }
    catch (error) {
      send(res, { status: 500, body: { error: `stand-in failure: ${(error as Error).message}` } })
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
