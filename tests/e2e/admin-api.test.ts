// The admin APIs against the built server: guards (401 / 403 / cross-team 404), the retry routes,
// write-only secrets, the sign-in rate limit, first-admin setup and the generated session password.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { startServer, type ServerHandle } from '../support/server'
import { addUserToTeam, callApi, createTeamWithUser, signIn, signInWhenReady, type AdminClient } from '../support/admin-client'
import { closeDb, openServerDb } from '../support/db-file'
import { seedFailedDiscussion } from '../support/seed-admin'
import { seedTask } from '../support/seed-rows'
import { useDb } from '#layers/discubot/server/utils/db'
import { getDiscubotTeamBySlug } from '#layers/discubot/collections/teams/server/database/queries'
import { discubotTeamMembers } from '#layers/discubot/collections/teams/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' }
const SECRETS = { signingSecret: 'sig-SEKRET-aaaa', botToken: 'xoxb-SEKRET-bbbb', notionToken: 'ntn-SEKRET-cccc', aiApiKey: 'sk-SEKRET-dddd' }

/** Every admin route, with a body where it takes one (the guard answers before validation). */
const ADMIN_ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/session-info'],
  ['GET', '/api/overview'],
  ['GET', '/api/jobs'],
  ['GET', '/api/jobs/some-id'],
  ['POST', '/api/jobs/retry-matching', { dryRun: true }],
  ['GET', '/api/discussions'],
  ['GET', '/api/discussions/some-id'],
  ['POST', '/api/discussions/some-id/retry'],
  ['POST', '/api/discussions/retry', { ids: ['some-id'] }],
  ['GET', '/api/tasks'],
  ['GET', '/api/tasks/some-id'],
  ['GET', '/api/configs'],
  ['POST', '/api/configs', { sourceType: 'slack', name: 'x' }],
  ['PATCH', '/api/configs/some-id', { name: 'x' }],
  ['POST', '/api/configs/some-id/check'],
  ['GET', '/api/schedules'],
  ['GET', '/api/settings'],
  ['POST', '/api/settings', { jobRetentionDays: 10 }],
  ['POST', '/api/settings/cleanup'],
]

let server: ServerHandle
let owner: AdminClient
let teamAId: string

beforeAll(async () => {
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      // No workers: retried jobs stay pending, so what the APIs answer does not race the engine.
      NUXT_WORKER_CONCURRENCY: '0',
      // Unreachable services: "check connection" fails fast and deterministically.
      NUXT_SLACK_API_URL: 'http://127.0.0.1:9/api/',
      NUXT_FIGMA_API_URL: 'http://127.0.0.1:9',
      NUXT_NOTION_API_URL: 'http://127.0.0.1:9',
    },
  })
  owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  openServerDb(server.dbPath)
  teamAId = (await getDiscubotTeamBySlug('default'))!.id
})

afterAll(async () => {
  closeDb()
  await server?.stop()
})

describe('without a session', () => {
  it('every admin route answers 401', async () => {
    for (const [method, path, body] of ADMIN_ROUTES) {
      const answer = await callApi(server, path, { method, body })
      expect(answer.status, `${method} ${path}`).toBe(401)
    }
  })

  it('a forged or tampered cookie is no session either', async () => {
    const tampered = owner.cookie.replace(/=(.)/, (_m, c: string) => `=${c === 'F' ? 'e' : 'F'}`)
    expect((await callApi(server, '/api/jobs', { cookie: tampered })).status).toBe(401)
    expect((await callApi(server, '/api/jobs', { cookie: 'nuxt-session=Fe26.2**not-a-seal' })).status).toBe(401)
  })

  it('pages redirect to sign-in, keeping where you were going', async () => {
    const answer = await callApi(server, '/jobs?status=failed')
    expect(answer.status).toBe(302)
    expect(answer.headers.get('location')).toBe('/login?redirect=/jobs?status=failed')
  })
})

describe('sign-in', () => {
  it('rejects a wrong password and an unknown email alike', async () => {
    const wrong = await callApi(server, '/api/auth/login', { method: 'POST', body: { email: ADMIN.email, password: 'nope' } })
    const unknown = await callApi(server, '/api/auth/login', { method: 'POST', body: { email: 'ghost@example.com', password: 'nope' } })
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    expect(wrong.body.message).toBe(unknown.body.message)
    expect((await callApi(server, '/api/auth/login', { method: 'POST', body: { email: 'not-an-email', password: 'x' } })).status).toBe(400)
  })

  it('answers 429 with Retry-After (a minute at most) once an account keeps failing, even with the right password', async () => {
    const victim = 'rate-limited@example.com'
    await addUserToTeam(teamAId, { email: victim, password: 'the-right-password', role: 'member' })
    const guess = (i: number) => callApi(server, '/api/auth/login', { method: 'POST', body: { email: victim, password: `guess-${i}` } })
    // A typo or two is free: the first failures answer 401.
    const first = []
    for (let i = 0; i < 4; i++) first.push((await guess(i)).status)
    expect(first).toEqual([401, 401, 401, 401])
    // Then the account waits, longer with each failure: guess on until the wait is long enough to be seen from here.
    let waiting: Awaited<ReturnType<typeof guess>> | undefined
    for (let i = 4; !waiting || Number(waiting.headers.get('retry-after')) < 3; i++) {
      if (waiting) await new Promise(resolve => setTimeout(resolve, Number(waiting!.headers.get('retry-after')) * 1000))
      const answer = await guess(i)
      expect([401, 429]).toContain(answer.status)
      if (answer.status === 429) waiting = answer
    }
    const blocked = await callApi(server, '/api/auth/login', { method: 'POST', body: { email: victim, password: 'the-right-password' } })
    expect(blocked.status).toBe(429)
    const retryAfter = Number(blocked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(blocked.body.message).toMatch(/^Too many failed sign-ins for this account\. Try again in \d+ seconds?\.$/)
    // Another email from the same address is not blocked.
    expect((await callApi(server, '/api/auth/login', { method: 'POST', body: { email: ADMIN.email, password: ADMIN.password } })).status).toBe(200)
  })

  it('the session says who and which team, never a password hash', async () => {
    const info = await owner.call('/api/session-info')
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({ user: { email: ADMIN.email }, role: 'owner', team: { slug: 'default' } })
    const session = await owner.call('/api/_auth/session')
    expect(session.body).toMatchObject({ user: { email: ADMIN.email }, teamId: teamAId, role: 'owner' })
    expect(JSON.stringify(session.body)).not.toMatch(/passwordHash|scrypt/)
  })

  it('logout ends the session', async () => {
    // Not the owner: signing out ends every session of the user, and the owner's is used below.
    const email = 'signs-out@example.com'
    await addUserToTeam(teamAId, { email, password: 'signs-out-password', role: 'member' })
    const client = await signIn(server, email, 'signs-out-password')
    expect((await client.call('/api/jobs')).status).toBe(200)
    const out = await client.call('/api/auth/logout', { method: 'POST' })
    expect(out.status).toBe(200)
    const cleared = out.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
    expect((await callApi(server, '/api/jobs', { cookie: cleared })).status).toBe(401)
    expect((await client.call('/api/jobs')).status).toBe(401)
    expect((await owner.call('/api/jobs')).status).toBe(200)
  })

  it('a member removed from the team loses access at once', async () => {
    const email = 'leaver@example.com'
    const user = await addUserToTeam(teamAId, { email, password: 'leaver-password', role: 'member' })
    const client = await signIn(server, email, 'leaver-password')
    expect((await client.call('/api/jobs')).status).toBe(200)
    await useDb().delete(discubotTeamMembers).where(and(eq(discubotTeamMembers.teamId, teamAId), eq(discubotTeamMembers.userId, user.id)))
    expect((await client.call('/api/jobs')).status).toBe(401)
  })
})

describe('jobs, discussions and retries', () => {
  it('lists failed jobs with their error, filters and pages them, and validates the query', async () => {
    for (let i = 0; i < 3; i++) await seedFailedDiscussion(useDb(), teamAId, `list-${i}`, { error: `Notion 400 validation_error #${i}`, stage: 'task_creation' })
    const failed = await owner.call('/api/jobs?status=failed&q=validation_error&pageSize=2')
    expect(failed.status).toBe(200)
    expect(failed.body.total).toBe(3)
    expect(failed.body.items).toHaveLength(2)
    expect(failed.body.items[0]).toMatchObject({ status: 'failed', stage: 'task_creation', error: expect.stringContaining('validation_error'), retry: null })
    const second = await owner.call('/api/jobs?status=failed&q=validation_error&pageSize=2&page=2')
    expect(second.body.items).toHaveLength(1)
    expect((await owner.call('/api/jobs?stage=task_creation&sourceType=figma')).body.total).toBe(0)
    expect((await owner.call('/api/jobs?status=bogus')).status).toBe(400)
    expect((await owner.call('/api/jobs?pageSize=1000')).status).toBe(400)
  })

  it('job detail has the stage rows with attempt logs and the retry chain; discussion detail has jobs and tasks', async () => {
    const { discussion, job } = await seedFailedDiscussion(useDb(), teamAId, 'detail-1', { stage: 'ai_analysis', error: 'Anthropic 400 invalid_request_error' })
    await seedTask(useDb(), teamAId, discussion.id, 0, { title: 'Fix the CTA', status: 'created', notionPageUrl: 'https://www.notion.so/abc' })
    const detail = await owner.call(`/api/jobs/${job.id}`)
    expect(detail.status).toBe(200)
    expect(detail.body.stages.map((s: { stage: string }) => s.stage)).toEqual(['ingestion', 'config_loading', 'thread_building', 'ai_analysis'])
    expect(detail.body.stages[3]).toMatchObject({ status: 'failed', attempts: 2, error: 'Anthropic 400 invalid_request_error' })
    expect(detail.body.stages[3].attemptLog).toHaveLength(2)
    expect(detail.body).toMatchObject({ retryOf: null, retries: [], discussion: { id: discussion.id, status: 'failed' } })
    expect(detail.text).not.toContain('leaseToken')

    const retried = await owner.call(`/api/discussions/${discussion.id}/retry`, { method: 'POST' })
    expect(retried.status).toBe(202)
    const newJob = await owner.call(`/api/jobs/${retried.body.jobId}`)
    expect(newJob.body).toMatchObject({ job: { status: 'pending', retryOfJobId: job.id }, retryOf: { id: job.id } })
    expect((await owner.call(`/api/jobs/${job.id}`)).body.retries.map((r: { id: string }) => r.id)).toEqual([retried.body.jobId])

    const thread = await owner.call(`/api/discussions/${discussion.id}`)
    expect(thread.body.jobs.map((j: { id: string }) => j.id)).toEqual([retried.body.jobId, job.id])
    expect(thread.body.tasks).toMatchObject([{ title: 'Fix the CTA', notionPageUrl: 'https://www.notion.so/abc' }])
    const listed = await owner.call(`/api/jobs?status=failed&q=invalid_request_error`)
    expect(listed.body.items[0].retry).toMatchObject({ id: retried.body.jobId, status: 'pending' })
  })

  it('retry answers 202 with a new job, 422 unless failed, 404 for an unknown id', async () => {
    const { discussion } = await seedFailedDiscussion(useDb(), teamAId, 'retry-1')
    const first = await owner.call(`/api/discussions/${discussion.id}/retry`, { method: 'POST' })
    expect(first.status).toBe(202)
    expect(first.body.jobId).toEqual(expect.any(String))
    // A double click: the retry under way, not a second one.
    const again = await owner.call(`/api/discussions/${discussion.id}/retry`, { method: 'POST' })
    expect(again.body.jobId).toBe(first.body.jobId)

    const { discussion: finished } = await seedFailedDiscussion(useDb(), teamAId, 'retry-2')
    await useDb().update(discubotDiscussions).set({ status: 'completed' }).where(eq(discubotDiscussions.id, finished.id))
    const done = await owner.call(`/api/discussions/${finished.id}/retry`, { method: 'POST' })
    expect(done.status).toBe(422)
    expect(done.body.message).toMatch(/failed/)
    expect((await owner.call('/api/discussions/no-such-id/retry', { method: 'POST' })).status).toBe(404)
  })

  it('bulk retry reports each id', async () => {
    const seeded = await Promise.all([1, 2, 3].map(i => seedFailedDiscussion(useDb(), teamAId, `bulk-${i}`)))
    const ids = seeded.map(s => s.discussion.id)
    const answer = await owner.call('/api/discussions/retry', { method: 'POST', body: { ids: [...ids, 'missing-id'] } })
    expect(answer.status).toBe(200)
    expect(answer.body.results.filter((r: { jobId?: string }) => r.jobId)).toHaveLength(3)
    expect(answer.body.results.find((r: { id: string }) => r.id === 'missing-id')).toMatchObject({ error: expect.any(String), statusCode: 404 })
    expect((await owner.call('/api/discussions/retry', { method: 'POST', body: { ids: [] } })).status).toBe(400)
  })

  it('retry-matching previews with dryRun, then retries the failed discussions of matching failed jobs', async () => {
    await Promise.all([1, 2].map(i => seedFailedDiscussion(useDb(), teamAId, `match-${i}`, { error: 'Figma 403 Invalid token (matchme)', sourceType: 'figma' })))
    const preview = await owner.call('/api/jobs/retry-matching', { method: 'POST', body: { q: 'matchme', sourceType: 'figma', dryRun: true } })
    expect(preview.body).toMatchObject({ dryRun: true, jobs: 2, discussions: 2 })
    const run = await owner.call('/api/jobs/retry-matching', { method: 'POST', body: { q: 'matchme', sourceType: 'figma' } })
    expect(run.body).toMatchObject({ dryRun: false, retried: 2, remaining: 0 })
    expect((await owner.call('/api/jobs/retry-matching', { method: 'POST', body: { q: 'matchme', dryRun: true } })).body.discussions).toBe(0)
  })

  it('tasks, overview and schedules answer for the team', async () => {
    const tasks = await owner.call('/api/tasks?q=Fix the CTA')
    expect(tasks.body.items.map((t: { title: string }) => t.title)).toContain('Fix the CTA')
    const overview = await owner.call('/api/overview')
    expect(overview.body.jobs.failed).toBeGreaterThan(0)
    expect(overview.body.perDay).toHaveLength(14)
    expect(overview.body.perDay.at(-1).total).toBeGreaterThan(0)
    const schedules = await owner.call('/api/schedules')
    expect(schedules.body.timers.map((t: { name: string }) => t.name)).toContain('cleanup')
    expect(schedules.body).toHaveProperty('delayedRetries')
    expect(schedules.body).toHaveProperty('staleLeases')
  })
})

describe('configs: owners write, secrets never leave', () => {
  let configId: string
  const bodies: string[] = []

  it('an owner creates, edits and checks a config; no answer contains a secret', async () => {
    const created = await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'slack', name: 'Product Slack', secrets: SECRETS } })
    expect(created.status).toBe(201)
    configId = created.body.id
    expect(created.body.secretsSet).toMatchObject({ signingSecret: true, botToken: true, notionToken: true, aiApiKey: true, passcode: false })
    const patched = await owner.call(`/api/configs/${configId}`, { method: 'PATCH', body: { name: 'Renamed', secrets: { botToken: 'xoxb-SEKRET-eeee' } } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ name: 'Renamed', secretsSet: { botToken: true } })
    const checked = await owner.call(`/api/configs/${configId}/check`, { method: 'POST' })
    expect(checked.status).toBe(200)
    expect(checked.body.config).toMatchObject({ validationState: 'error', validationMessage: expect.stringContaining('Slack') })
    const listed = await owner.call('/api/configs')
    expect(listed.body.map((c: { id: string }) => c.id)).toContain(configId)
    bodies.push(created.text, patched.text, checked.text, listed.text)
    for (const text of bodies) {
      expect(text).not.toContain('SEKRET')
      expect(text).not.toContain('secretsCiphertext')
    }
  })

  it('a member reads configs but gets 403 on every write', async () => {
    await addUserToTeam(teamAId, { email: 'member@example.com', password: 'member-password', role: 'member' })
    const member = await signIn(server, 'member@example.com', 'member-password')
    const list = await member.call('/api/configs')
    expect(list.status).toBe(200)
    expect(list.text).not.toContain('SEKRET')
    expect((await member.call('/api/configs', { method: 'POST', body: { sourceType: 'figma', name: 'x' } })).status).toBe(403)
    expect((await member.call(`/api/configs/${configId}`, { method: 'PATCH', body: { active: false } })).status).toBe(403)
    expect((await member.call(`/api/configs/${configId}/check`, { method: 'POST' })).status).toBe(403)
    expect((await member.call('/api/settings', { method: 'POST', body: { jobRetentionDays: 3 } })).status).toBe(403)
    expect((await member.call('/api/settings/cleanup', { method: 'POST' })).status).toBe(403)
    // Members still retry: it is the daily work, not configuration.
    const { discussion } = await seedFailedDiscussion(useDb(), teamAId, 'member-retry')
    expect((await member.call(`/api/discussions/${discussion.id}/retry`, { method: 'POST' })).status).toBe(202)
  })

  it('rejects an invalid config body', async () => {
    expect((await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'teams', name: 'x' } })).status).toBe(400)
    expect((await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'slack', name: '' } })).status).toBe(400)
    expect((await owner.call(`/api/configs/${configId}`, { method: 'PATCH', body: { secrets: { unknownSecret: 'x' } } })).status).toBe(400)
  })

  it('the default team owner sets the retention and runs the cleanup', async () => {
    const saved = await owner.call('/api/settings', { method: 'POST', body: { jobRetentionDays: 7 } })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ jobRetentionDays: 7, jobRetentionSource: 'saved', workerConcurrency: 0 })
    expect((await owner.call('/api/settings')).body.jobRetentionDays).toBe(7)
    const cleanup = await owner.call('/api/settings/cleanup', { method: 'POST' })
    expect(cleanup.status).toBe(200)
    expect(cleanup.body.deleted).toEqual(expect.any(Number))
    expect((await owner.call('/api/settings', { method: 'POST', body: { jobRetentionDays: 0 } })).status).toBe(400)
  })
})

describe('another team', () => {
  it('sees none of team A\'s rows, and each of A\'s ids is a 404', async () => {
    const { discussion, job } = await seedFailedDiscussion(useDb(), teamAId, 'cross-team', { title: 'Team A secret plans' })
    const task = await seedTask(useDb(), teamAId, discussion.id, 0, { title: 'Team A task' })
    const configA = (await owner.call('/api/configs')).body[0]
    await createTeamWithUser('team-b', { email: 'owner-b@example.com', password: 'owner-b-password', role: 'owner' })
    const b = await signIn(server, 'owner-b@example.com', 'owner-b-password')

    for (const path of ['/api/jobs', '/api/discussions', '/api/tasks']) {
      const list = await b.call(path)
      expect(list.status).toBe(200)
      expect(list.body).toMatchObject({ items: [], total: 0 })
    }
    expect((await b.call('/api/configs')).body).toEqual([])
    expect((await b.call('/api/overview')).body.jobs).toEqual({ pending: 0, processing: 0, completed: 0, failed: 0 })
    for (const path of [`/api/jobs/${job.id}`, `/api/discussions/${discussion.id}`, `/api/tasks/${task.id}`]) {
      expect((await b.call(path)).status, path).toBe(404)
    }
    expect((await b.call(`/api/discussions/${discussion.id}/retry`, { method: 'POST' })).status).toBe(404)
    const bulk = await b.call('/api/discussions/retry', { method: 'POST', body: { ids: [discussion.id] } })
    expect(bulk.body.results).toEqual([{ id: discussion.id, error: expect.any(String), statusCode: 404 }])
    expect((await b.call('/api/jobs/retry-matching', { method: 'POST', body: {} })).body).toMatchObject({ retried: 0 })
    expect((await b.call(`/api/configs/${configA.id}`, { method: 'PATCH', body: { name: 'stolen' } })).status).toBe(404)
    expect((await b.call(`/api/configs/${configA.id}/check`, { method: 'POST' })).status).toBe(404)
    // An owner of another team is not an instance admin.
    expect((await b.call('/api/settings', { method: 'POST', body: { jobRetentionDays: 1 } })).status).toBe(403)
    // Team A's discussion is untouched.
    expect((await owner.call(`/api/discussions/${discussion.id}`)).body.discussion).toMatchObject({ status: 'failed', title: 'Team A secret plans' })
  })
})

describe('first boot without admin settings or session password', () => {
  it('prints a one-time setup link, creates the admin once, and keeps sessions across restarts', async () => {
    const fresh = await startServer({ env: { NUXT_SESSION_PASSWORD: undefined, NUXT_WORKER_CONCURRENCY: '0' } })
    let restarted: ServerHandle | undefined
    try {
      const [link] = await fresh.waitForLog(new RegExp(`${fresh.url}/setup\\?token=[\\w-]+`))
      const token = new URL(link).searchParams.get('token')!
      const passwordFile = join(dirname(fresh.dbPath), 'session-password')
      expect(existsSync(passwordFile)).toBe(true)

      expect((await callApi(fresh, `/api/auth/setup?token=${token}`)).body).toEqual({ valid: true })
      expect((await callApi(fresh, '/api/auth/setup?token=wrong')).body).toEqual({ valid: false })
      const weak = await callApi(fresh, '/api/auth/setup', { method: 'POST', body: { token, email: 'first@example.com', password: 'short' } })
      expect(weak.status).toBe(400)
      const done = await callApi(fresh, '/api/auth/setup', { method: 'POST', body: { token, email: 'first@example.com', password: 'first-admin-password' } })
      expect(done.status).toBe(200)
      expect(done.body).toMatchObject({ role: 'owner', user: { email: 'first@example.com' } })
      const reused = await callApi(fresh, '/api/auth/setup', { method: 'POST', body: { token, email: 'second@example.com', password: 'second-admin-password' } })
      expect(reused.status).toBe(404)

      const client = await signIn(fresh, 'first@example.com', 'first-admin-password')
      expect((await client.call('/api/session-info')).body.team.slug).toBe('default')

      await fresh.stop()
      restarted = await startServer({ dbPath: fresh.dbPath, env: { NUXT_SESSION_PASSWORD: undefined, NUXT_WORKER_CONCURRENCY: '0' } })
      // Same generated password: the cookie sealed before the restart still opens.
      expect((await callApi(restarted, '/api/session-info', { cookie: client.cookie })).status).toBe(200)
      expect(readFileSync(passwordFile, 'utf8').trim().length).toBeGreaterThanOrEqual(32)
    }
    finally {
      await fresh.stop()
      await restarted?.stop()
    }
  })
})
