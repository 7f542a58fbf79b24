// The secrets key of the built server: its own key (generated beside the database when
// NUXT_SECRETS_KEY is unset), so rotating the session password loses no stored secret; a
// different key makes configs ask for their secrets again, visibly and without a single 5xx;
// a database server without NUXT_SECRETS_KEY is refused at start.
import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startServer, waitFor, type ServerHandle } from '../support/server'
import { signInWhenReady, type AdminClient } from '../support/admin-client'
import { listApiRoutes } from '../support/api-routes'
import { countRows } from '../support/db-file'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { postSlackEvent, slackAppMention } from '../standins/signing'

const ADMIN_EMAIL = 'owner@example.com'
const ADMIN_PASSWORD = 'owner-password-0123456789'
const CHANNEL = 'C0SECRETS'
const SIGNING_SECRET = 'api-signing-secret-0123'
const NEW_SIGNING_SECRET = 'api-signing-secret-re-entered'
const ROTATED_SESSION_PASSWORD = 'rotated-session-password-0123456789-abcdef'
const OTHER_SECRETS_KEY = 'another-secrets-key-0123456789-0123456789-abc'

let slack: SlackStandin
let dbPath: string
let server: ServerHandle | undefined
let configId: string

function start(env: Record<string, string | undefined> = {}) {
  return startServer({
    dbPath,
    env: { NUXT_ADMIN_EMAIL: ADMIN_EMAIL, NUXT_ADMIN_PASSWORD: ADMIN_PASSWORD, NUXT_SLACK_API_URL: `${slack.url}/api/`, ...env },
  })
}

async function restart(env: Record<string, string | undefined> = {}): Promise<{ server: ServerHandle, owner: AdminClient }> {
  await server?.stop()
  server = await start(env)
  return { server, owner: await signInWhenReady(server, ADMIN_EMAIL, ADMIN_PASSWORD) }
}

const mention = () => slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: slack.state.seedThread(CHANNEL).rootTs })

async function expectAccepted(running: ServerHandle, secret: string) {
  const response = await postSlackEvent(running.url, mention(), secret)
  const body = await response.json() as { status?: string, jobId?: string }
  expect({ status: response.status, body }).toMatchObject({ status: 200, body: { status: 'accepted', jobId: expect.any(String) } })
  expect(await countRows(running.dbPath, 'discubot_jobs', 'id = ?', [body.jobId!])).toBe(1)
}

beforeAll(async () => {
  slack = await startSlackStandin()
  slack.state.addChannel(CHANNEL)
  // First life: no NUXT_SECRETS_KEY, so the server generates its key beside the database.
  server = await startServer({ env: { NUXT_ADMIN_EMAIL: ADMIN_EMAIL, NUXT_ADMIN_PASSWORD: ADMIN_PASSWORD, NUXT_SLACK_API_URL: `${slack.url}/api/`, NUXT_SECRETS_KEY: undefined } })
  dbPath = server.dbPath
  const owner = await signInWhenReady(server, ADMIN_EMAIL, ADMIN_PASSWORD)
  const created = await owner.call('/api/configs', {
    method: 'POST',
    body: { sourceType: 'slack', name: 'Team Slack', slackWorkspaceId: slack.state.teamId, secrets: { signingSecret: SIGNING_SECRET, botToken: slack.state.token } },
  })
  expect(created.status).toBe(201)
  configId = created.body.id
  await expectAccepted(server, SIGNING_SECRET)
})

afterAll(async () => {
  await server?.kill()
  await slack?.stop()
})

describe('the secrets key', () => {
  it('was generated beside the database, private to the owner, in a private folder', () => {
    const keyFile = join(dirname(dbPath), 'secrets-key')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(statSync(dbPath).mode & 0o777).toBe(0o600)
    const key = readFileSync(keyFile, 'utf8').trim()
    expect(key.length).toBeGreaterThanOrEqual(32)
    expect(server!.logs()).not.toContain(key)
  })

  it('survives a new NUXT_SESSION_PASSWORD: signed webhooks still verify and the configs list', async () => {
    const { server: running, owner } = await restart({ NUXT_SESSION_PASSWORD: ROTATED_SESSION_PASSWORD })
    await expectAccepted(running, SIGNING_SECRET)
    const configs = await owner.call('/api/configs')
    expect(configs.status).toBe(200)
    expect(configs.body.find((c: { id: string }) => c.id === configId)).toMatchObject({ secretsNeedReentry: false, secretsSet: { signingSecret: true, botToken: true } })
  })

  it('a different NUXT_SECRETS_KEY: no 5xx, webhooks 401 with the reason logged once, the config asks for re-entry, PATCH repairs it', async () => {
    const { server: running, owner } = await restart({ NUXT_SESSION_PASSWORD: ROTATED_SESSION_PASSWORD, NUXT_SECRETS_KEY: OTHER_SECRETS_KEY })

    for (const route of listApiRoutes().filter(r => r.method === 'GET' && r.params.length === 0)) {
      const answer = await owner.call(route.pattern)
      expect(answer.status, route.key).toBeLessThan(500)
    }
    const configs = await owner.call('/api/configs')
    expect(configs.status).toBe(200)
    expect(configs.body.find((c: { id: string }) => c.id === configId)).toMatchObject({
      secretsNeedReentry: true,
      validationState: 'error',
      validationMessage: 'Secrets need re-entry: they were encrypted with a different key',
      secretsSet: { signingSecret: false, botToken: false },
    })
    expect((await owner.call(`/api/configs/${configId}/check`, { method: 'POST' })).status).toBe(200)

    for (let i = 0; i < 3; i++) {
      const refused = await postSlackEvent(running.url, mention(), SIGNING_SECRET)
      expect(refused.status).toBe(401)
      expect((await refused.json() as { message: string }).message).toMatch(/does not match any active Slack config; 1 active config\(s\) have no usable secret \(secrets need re-entry/)
    }
    await running.waitForLog(/refuses every delivery until its secrets are entered again/)
    expect(running.logs().match(/refuses every delivery until its secrets are entered again/g)).toHaveLength(1)

    const patched = await owner.call(`/api/configs/${configId}`, { method: 'PATCH', body: { secrets: { signingSecret: NEW_SIGNING_SECRET, botToken: slack.state.token } } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ secretsNeedReentry: false, secretsSet: { signingSecret: true, botToken: true } })
    await expectAccepted(running, NEW_SIGNING_SECRET)
    expect(running.logs()).not.toContain(OTHER_SECRETS_KEY)
  })
})

describe('a database server without NUXT_SECRETS_KEY', () => {
  it('is refused at start with one line saying what to set', async () => {
    const closedPort = await freePort()
    const refused = await startServer({ waitHealthy: false, env: { NUXT_DATABASE_URL: `http://127.0.0.1:${closedPort}`, NUXT_SECRETS_KEY: undefined } })
    // Either it exits, or it got as far as serving requests (which it must not).
    const serving = () => fetch(`${refused.url}/api/ping`).then(() => true, () => false)
    await waitFor(async () => refused.child.exitCode !== null || await serving(), { message: 'the server to exit or to serve' })
    await refused.kill()
    expect(refused.child.exitCode).toBe(1)
    expect(refused.logs()).toMatch(/NUXT_DATABASE_URL is a database server \(http:\/\/…\) but NUXT_SECRETS_KEY is not set: set NUXT_SECRETS_KEY/)
  })
})
