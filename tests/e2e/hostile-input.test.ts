// Hostile input against the built server, property-based: every route under server/api (found from
// the files, so a new route is covered without being listed) gets random and malformed JSON, wrong
// types, huge strings, deep nesting, invalid UTF-8, odd content types, junk query strings, odd path
// ids and oversized bodies; the webhooks also get forged and replayed signatures and well-signed
// payloads with broken fields. Properties: never a 5xx, the process keeps answering, and a rejected
// request leaves every domain table exactly as it was. FC_RUNS raises the runs per input family,
// FC_SEED replays a run.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { startSourcesServer, type SourcesServer } from '../support/sources-server'
import { signIn, signInWhenReady, type AdminClient } from '../support/admin-client'
import { closeDb, openServerDb, queryDbFile } from '../support/db-file'
import { watchRows, type RowSnapshot, type RowWatcher } from '../support/row-snapshot'
import { seedFailedDiscussion } from '../support/seed-admin'
import { seedTask } from '../support/seed-rows'
import { idCollection, listApiRoutes, routePath, takesBody, type ApiRoute } from '../support/api-routes'
import { body, contentType, edits, mutate, pathId, queryString, utf8, type BodyInput } from '../support/hostile-arbitraries'
import { figmaFileComment, slackAppMention, slackSignature, slackUrlVerification } from '../standins/signing'
import { useDb } from '#layers/discubot/server/utils/db'
import { getDiscubotTeamBySlug } from '#layers/discubot/collections/teams/server/database/queries'

const RUNS = Number(process.env.FC_RUNS) || 60
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined
const ADMIN = { email: 'fuzz-admin@example.com', password: 'fuzz-admin-password' }
const CHANNEL = 'C0FUZZ'
const MAX_BODY_BYTES = 1024 * 1024
const ROUTES = listApiRoutes()

interface HostileRequest {
  route: string
  kind: string
  method: string
  path: string
  headers: Record<string, string>
  body?: Uint8Array | (() => ReadableStream<Uint8Array>)
  /** The statuses the input itself decides (a forged signature is a 401), beyond "not a 5xx". */
  expected?: number[]
}

let sources: SourcesServer
let admin: AdminClient
let rows: RowWatcher
let baseline: RowSnapshot
const realIds: Record<string, string[]> = {}
/** Accepted requests whose writes the snapshots saw: proof they watch the server's own file. */
let acceptedWrites = 0
/** route → status → count, printed at the end. */
const tally = new Map<string, Map<string, number>>()

beforeAll(async () => {
  sources = await startSourcesServer({
    // No workers: accepted deliveries stay pending, so only the requests themselves write.
    env: { NUXT_ADMIN_EMAIL: ADMIN.email, NUXT_ADMIN_PASSWORD: ADMIN.password, NUXT_WORKER_CONCURRENCY: '0' },
  })
  sources.slack.state.addChannel(CHANNEL)
  admin = await signInWhenReady(sources.server, ADMIN.email, ADMIN.password)
  openServerDb(sources.server.dbPath)
  const teamId = (await getDiscubotTeamBySlug('default'))!.id
  const { discussion, job } = await seedFailedDiscussion(useDb(), teamId, 'fuzz-1')
  const task = await seedTask(useDb(), teamId, discussion.id, 0)
  // A config of its own, so PATCHes with random fields leave the env configs (and the webhooks) alone.
  const config = await admin.call('/api/configs', { method: 'POST', body: { sourceType: 'figma', name: 'Fuzz target' } })
  expect(config.status).toBe(201)
  Object.assign(realIds, { jobs: [job.id], discussions: [discussion.id], tasks: [task.id], configs: [config.body.id] })
  // A refused signature or passcode is counted in the delivery inbox (that is its point); nothing
  // else a rejected request does may write.
  rows = watchRows(sources.server.dbPath, { only: { discubot_webhook_events: `status <> 'rejected'` } })
  baseline = await rows.snapshot()
})

// Signing out (POST /api/auth/logout with the admin's cookie) ends every session of the admin:
// sign in again, so the routes after it are still attacked with a live session.
afterEach(async () => {
  if ((await admin.call('/api/session-info')).status !== 401) return
  admin = await signIn(sources.server, ADMIN.email, ADMIN.password)
  baseline = await rows.snapshot()
})

afterAll(async () => {
  printTally()
  rows?.close()
  closeDb()
  await sources?.stop()
})

function printTally() {
  const lines = [...tally].map(([route, statuses]) => {
    const inputs = [...statuses.values()].reduce((a, b) => a + b, 0)
    const spread = [...statuses].sort().map(([status, n]) => `${status}×${n}`).join(' ')
    return { route, inputs, spread }
  })
  const total = lines.reduce((sum, line) => sum + line.inputs, 0)
  const width = Math.max(...lines.map(line => line.route.length), 5)
  console.log([
    `hostile inputs per route (FC_RUNS=${RUNS}):`,
    ...lines.map(line => `  ${line.route.padEnd(width)}  ${String(line.inputs).padStart(5)}  ${line.spread}`),
    `  ${'total'.padEnd(width)}  ${String(total).padStart(5)}  over ${lines.length} routes`,
  ].join('\n'))
}

function count(route: string, status: number) {
  const statuses = tally.get(route) ?? new Map<string, number>()
  statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1)
  tally.set(route, statuses)
}

/** Sends one input and checks the three properties on it. */
async function attempt(request: HostileRequest) {
  const url = `${sources.server.url}${request.path}`
  const stream = typeof request.body === 'function'
  let response: Response
  try {
    response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      body: stream ? (request.body as () => ReadableStream<Uint8Array>)() : request.body as Uint8Array | undefined,
      redirect: 'manual',
      ...(stream ? { duplex: 'half' } : {}),
    } as RequestInit)
  }
  catch (error) {
    // Node refuses a request head over its 16 KiB limit (431) and may close the socket while the
    // client is still writing it: a refusal, not a failure, as long as the server lives on.
    const head = request.path.length + JSON.stringify(request.headers ?? {}).length
    if (head <= 16 * 1024) throw error
    count(request.route, 431)
    await expectAlive()
    expect(await rows.snapshot()).toEqual(baseline)
    return
  }
  const text = await response.text()
  count(request.route, response.status)
  const what = `${request.kind}: ${request.method} ${request.path.slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`
  expect(response.status, what).toBeLessThan(500)
  if (request.expected) expect(request.expected, what).toContain(response.status)
  const after = await rows.snapshot()
  if (response.status >= 400) expect(after, `a rejected request wrote rows (${what})`).toEqual(baseline)
  else if (JSON.stringify(after) !== JSON.stringify(baseline)) acceptedWrites += 1
  baseline = after
}

async function expectAlive() {
  expect(sources.server.child.exitCode).toBeNull()
  const ping = await fetch(`${sources.server.url}/api/ping`)
  expect(ping.status).toBe(200)
}

const withCookie = (headers: Record<string, string>) => ({ ...headers, cookie: admin.cookie })

function withBody(headers: Record<string, string>, type: string | undefined) {
  return type === undefined ? headers : { ...headers, 'content-type': type }
}

/** Random junk for any route: path ids where it has params, a query string, a body where it takes one. */
function anyRouteInput(route: ApiRoute): fc.Arbitrary<HostileRequest> {
  const ids = realIds[idCollection(route) ?? ''] ?? []
  const payload = takesBody(route)
    ? fc.option(fc.tuple(body, contentType), { nil: undefined, freq: 8 })
    : fc.constant(undefined)
  return fc.record({
    params: fc.record(Object.fromEntries(route.params.map(name => [name, pathId(ids)]))),
    // A body route gets a query half the time (fc.option's freq is the odds of `nil`: one in freq).
    query: takesBody(route) ? fc.option(queryString, { nil: undefined, freq: 2 }) : queryString,
    payload,
  }).map(({ params, query, payload }) => ({
    route: route.key,
    kind: payload ? payload[0].kind : route.params.length ? 'path-id' : 'query',
    method: route.method,
    path: `${routePath(route, params as Record<string, string>)}${query === undefined ? '' : `?${query}`}`,
    headers: withCookie(withBody({}, payload?.[1])),
    body: payload?.[0].bytes,
  }))
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`))
const now = () => Math.floor(Date.now() / 1000)

function slackInput(route: ApiRoute, kind: string, raw: Uint8Array, headers: Record<string, string>, expected?: number[]): HostileRequest {
  return { route: route.key, kind, method: 'POST', path: route.pattern, headers: { 'content-type': 'application/json', ...headers }, body: raw, expected }
}

/** Signs what the server will read: the body decoded as UTF-8 (invalid bytes become U+FFFD on both sides). */
function signed(raw: Uint8Array, timestamp = now()) {
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(sources.signingSecret, timestamp, Buffer.from(raw).toString('utf8')) }
}

function slackPayload() {
  return fc.constantFrom('mention', 'reply', 'verification').map(shape => shape === 'verification'
    ? slackUrlVerification('fuzz-challenge')
    : slackAppMention({ teamId: sources.slack.state.teamId, channel: CHANNEL, botUserId: sources.slack.state.botUserId, ...(shape === 'reply' ? { threadTs: '1700000000.000100' } : {}) }))
}

function slackInputs(route: ApiRoute): fc.Arbitrary<HostileRequest>[] {
  const payload = slackPayload().map(value => utf8(JSON.stringify(value)))
  return [
    // A signature nobody computed with our secret.
    fc.tuple(payload, fc.oneof(fc.stringMatching(/^v0=[0-9a-f]{64}$/), printable(80), fc.constantFrom('v0=', `v1=${'a'.repeat(64)}`)))
      .map(([raw, signature]) => slackInput(route, 'forged-signature', raw, { 'x-slack-request-timestamp': String(now()), 'x-slack-signature': signature }, [401])),
    // A correctly signed request captured and replayed (or pre-dated) beyond the 5-minute window.
    fc.tuple(payload, fc.oneof(fc.integer({ min: 310, max: 10 ** 8 }), fc.integer({ min: -(10 ** 8), max: -310 })))
      .map(([raw, offset]) => slackInput(route, 'replayed-signature', raw, signed(raw, now() - offset), [401])),
    // Timestamps that are no unix time, with an otherwise well-formed signature.
    fc.tuple(payload, fc.oneof(printable(20).filter(text => !/^\s*\d{1,12}\s*$/.test(text)), fc.constantFrom('1e9', '-1', '1.5', '17000000000000')))
      .map(([raw, timestamp]) => slackInput(route, 'bad-timestamp', raw, { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${'0'.repeat(64)}` }, [401])),
    // Junk that carries a valid signature, so it reaches the parser.
    body.map(({ kind, bytes }: BodyInput) => slackInput(route, `signed-${kind}`, bytes, signed(bytes))),
    // Real payload shapes, correctly signed, with fields of the wrong type, huge, or missing.
    fc.tuple(slackPayload(), edits).map(([value, changes]) => {
      const raw = utf8(JSON.stringify(mutate(value, changes)))
      return slackInput(route, 'signed-broken-fields', raw, signed(raw))
    }),
  ]
}

function figmaInputs(route: ApiRoute): fc.Arbitrary<HostileRequest>[] {
  // A fresh comment id each time, so an accepted delivery is new rather than a duplicate.
  let sequence = 0
  const comment = (passcode: string) => figmaFileComment({ passcode, commentId: String(1_000_000 + ++sequence) })
  const request = (kind: string, value: unknown, expected?: number[]): HostileRequest =>
    ({ route: route.key, kind, method: 'POST', path: route.pattern, headers: { 'content-type': 'application/json' }, body: utf8(JSON.stringify(value)), expected })
  return [
    fc.oneof(printable(60), fc.string({ unit: 'binary', maxLength: 30 })).filter(passcode => passcode !== sources.passcode)
      .map(passcode => request('forged-passcode', comment(passcode), [401])),
    fc.tuple(fc.constantFrom('FILE_COMMENT', 'PING'), edits).map(([type, changes]) => {
      const value = type === 'PING' ? { event_type: 'PING', passcode: sources.passcode, webhook_id: '22', timestamp: new Date().toISOString() } : comment(sources.passcode)
      return request('passcode-broken-fields', mutate(value, changes))
    }),
  ]
}

function inputFamilies(route: ApiRoute): fc.Arbitrary<HostileRequest>[] {
  const specific = route.key === 'POST /api/webhooks/slack' ? slackInputs(route) : route.key === 'POST /api/webhooks/figma' ? figmaInputs(route) : []
  return [anyRouteInput(route), ...specific]
}

function oversized(route: ApiRoute): HostileRequest[] {
  const path = routePath(route, Object.fromEntries(route.params.map(name => [name, realIds[idCollection(route) ?? '']?.[0] ?? 'some-id'])))
  const filler = (size: number) => utf8(`{"name":"${'x'.repeat(size)}"}`)
  const base = { route: route.key, method: route.method, path, headers: withCookie({ 'content-type': 'application/json' }), expected: [413] }
  const chunks = () => {
    let sent = 0
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 1.5 * MAX_BODY_BYTES) return controller.close()
        sent += 64 * 1024
        controller.enqueue(filler(64 * 1024))
      },
    })
  }
  return [
    { ...base, kind: 'oversized', body: filler(MAX_BODY_BYTES) },
    { ...base, kind: 'oversized-chunked', body: chunks },
  ]
}

describe('every API route under hostile input', () => {
  it('found the routes to attack', () => {
    expect(ROUTES.map(route => route.key)).toEqual(expect.arrayContaining(['POST /api/webhooks/slack', 'POST /api/webhooks/figma', 'GET /api/jobs', 'PATCH /api/configs/:id']))
  })

  it.each(ROUTES.map(route => [route.key, route] as const))('%s: no 5xx, no crash, nothing written when rejected', async (_key, route) => {
    for (const family of inputFamilies(route)) {
      await fc.assert(fc.asyncProperty(family, attempt), { numRuns: RUNS, seed: SEED })
      await expectAlive()
    }
    if (takesBody(route)) {
      for (const request of oversized(route)) await attempt(request)
      await expectAlive()
    }
  })

  it('saw the accepted requests write (the row snapshots watch the server\'s database)', () => {
    expect(acceptedWrites).toBeGreaterThan(0)
  })

  it('counted the refused webhook deliveries in the inbox, per source and hour, without a body', async () => {
    const rejected = await queryDbFile(sources.server.dbPath, `SELECT source, team_id, job_id, redeliveries FROM discubot_webhook_events WHERE status = 'rejected'`)
    expect(rejected.map(row => row.source).sort()).toEqual(expect.arrayContaining(['figma', 'slack']))
    for (const row of rejected) expect(row).toMatchObject({ team_id: null, job_id: null })
  })

  it('logged no unhandled error or stack trace through all of it', () => {
    expect(sources.server.logs()).not.toMatch(/unhandled|uncaught|Error\b.*\n\s+at /i)
  })

  it('a chunked body within the cap still reaches the handler', async () => {
    const raw = utf8(JSON.stringify({ jobRetentionDays: 30 }))
    const response = await fetch(`${sources.server.url}/api/settings`, {
      method: 'POST',
      headers: withCookie({ 'content-type': 'application/json' }),
      body: new ReadableStream({ start(controller) {
        controller.enqueue(raw)
        controller.close()
      } }),
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ jobRetentionDays: 30 })
  })
})
