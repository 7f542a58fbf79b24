// A team's alert targets through the built server: the webhook's signing secret answered once,
// alerts signed with it (verified here with the shown secret), a 500 retried, a 400 not; bad
// input refused with a 400 that changes nothing; and "Check connection" telling the owner to
// invite the bot to the alert channel.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { createTeamWithUser, signIn, signInWhenReady, withServerDb, type AdminClient } from '../support/admin-client'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { serverError } from '../standins/http-standin'
import { ALERT_ROUTE, startAlertReceiver, type AlertReceiver } from '../standins/alert-receiver'

const ADMIN = { email: 'alerts-admin@example.com', password: 'alerts-admin-password' }
const TENANT = { email: 'tenant-owner@example.com', password: 'tenant-owner-password', role: 'owner' as const }
const ALERTS = 'C0ALERTCHAN'

let slack: SlackStandin
let receiver: AlertReceiver
let server: ServerHandle
let owner: AdminClient
let tenant: AdminClient
let secret: string

beforeAll(async () => {
  [slack, receiver] = await Promise.all([startSlackStandin(), startAlertReceiver()])
  slack.state.addChannel(ALERTS, 'ops-alerts')
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_SLACK_SIGNING_SECRET: 'alerts-signing-secret',
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
    },
  })
  owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  await withServerDb(server, () => createTeamWithUser('tenant', TENANT))
  tenant = await signIn(server, TENANT.email, TENANT.password)
})

afterAll(async () => {
  await server?.kill()
  await Promise.all([slack?.stop(), receiver?.stop()])
})

interface AlertView { id: string, type: string, status: string, deliveries: { target: string, status: string, attempts: number, lastError: string | null }[] }

/** Sends a test alert and waits until its webhook delivery has settled. */
async function testAlert(): Promise<AlertView> {
  const queued = await owner.call('/api/team/alerts/test', { method: 'POST' })
  expect(queued.status).toBe(202)
  return waitFor(async () => {
    const alerts = (await owner.call('/api/team/alerts')).body.alerts as AlertView[]
    const alert = alerts.find(a => a.id === queued.body.id)
    const webhook = alert?.deliveries.find(d => d.target === 'webhook')
    return webhook && webhook.status !== 'pending' ? alert : undefined
  }, { timeoutMs: 30_000, message: 'the test alert\'s webhook delivery to settle' })
}

describe('the alert webhook', () => {
  it('setting a URL answers its signing secret once; reads never carry it', async () => {
    const saved = await owner.call('/api/team/alerts', { method: 'PUT', body: { webhookUrl: receiver.endpoint } })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ webhookUrl: receiver.endpoint, slackChannelId: null, webhookSecretSet: true, webhookSecret: expect.stringMatching(/^whsec_/) })
    secret = saved.body.webhookSecret

    const read = await owner.call('/api/team/alerts')
    expect(read.body).toMatchObject({ webhookUrl: receiver.endpoint, webhookSecretSet: true })
    expect(read.text).not.toContain(secret)
    // The same URL again keeps the secret (and does not show it).
    const again = await owner.call('/api/team/alerts', { method: 'PUT', body: { webhookUrl: receiver.endpoint } })
    expect(again.body.webhookSecret).toBeUndefined()
    const [row] = await queryDbFile(server.dbPath, 'SELECT webhook_secret_ciphertext AS sealed FROM discubot_team_alerts')
    expect(String(row!.sealed)).not.toContain(secret.slice(6))
    expect(server.logs()).not.toContain(secret.slice(6))
  })

  it('an alert is signed with the shown secret; a 500 from the endpoint is retried', async () => {
    receiver.faults.push(serverError(ALERT_ROUTE, 500))
    const before = receiver.requests.length
    const alert = await testAlert()
    expect(alert.deliveries.find(d => d.target === 'webhook')).toMatchObject({ status: 'delivered', attempts: 2, lastError: null })
    const sent = receiver.requests.slice(before)
    expect(sent).toHaveLength(2)
    const [first, second] = sent
    expect(first!.fault).toBe('respond')
    expect(second!.fault).toBeUndefined()
    expect(second!.headers['x-discubot-delivery']).toBe(first!.headers['x-discubot-delivery'])

    const timestamp = String(second!.headers['x-discubot-timestamp'])
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300)
    const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${second!.body}`).digest('hex')}`
    expect(second!.headers['x-discubot-signature']).toBe(expected)
    expect(createHmac('sha256', 'not-the-secret').update(`${timestamp}.${second!.body}`).digest('hex')).not.toBe(expected.slice(3))
    expect(JSON.parse(second!.body)).toMatchObject({ type: 'test', title: 'Test alert from Discubot', team: { name: 'Default team' }, link: `${server.url}/settings` })
  })

  it('a 400 from the endpoint fails the delivery for good, with the status, and is not retried', async () => {
    receiver.faults.push({ kind: 'respond', route: ALERT_ROUTE, status: 400, body: { error: 'no' } })
    const before = receiver.requests.length
    const alert = await testAlert()
    expect(alert.deliveries.find(d => d.target === 'webhook')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'The alert webhook answered 400 Bad Request' })
    expect(receiver.requests.slice(before)).toHaveLength(1)
    // The Settings list: one entry per alert, newest first, its deliveries inside it.
    const { alerts } = (await owner.call('/api/team/alerts')).body as { alerts: AlertView[] }
    expect(alerts.map(a => [a.id, a.type, a.status, a.deliveries.map(d => `${d.target}:${d.status}`)])).toEqual([
      [alert.id, 'test', 'delivered', ['webhook:failed']],
      [expect.any(String), 'test', 'delivered', ['webhook:delivered']],
    ])
  })
})

describe('bad input', () => {
  it('a webhook URL that is not http(s), or a channel name instead of an id: 400 naming it, nothing changed', async () => {
    const before = (await owner.call('/api/team/alerts')).body
    const ftp = await owner.call('/api/team/alerts', { method: 'PUT', body: { webhookUrl: 'ftp://example.com/alerts' } })
    expect(ftp.status).toBe(400)
    expect(ftp.text).toContain('Enter an http(s) URL')
    const name = await owner.call('/api/team/alerts', { method: 'PUT', body: { slackChannelId: '#ops-alerts' } })
    expect(name.status).toBe(400)
    expect(name.text).toContain('Enter the channel\'s id')
    const after = (await owner.call('/api/team/alerts')).body
    expect({ ...after, alerts: [] }).toEqual({ ...before, alerts: [] })
  })

  it('another team\'s webhook may not point at a private address: 400, nothing saved', async () => {
    const answer = await tenant.call('/api/team/alerts', { method: 'PUT', body: { webhookUrl: receiver.endpoint } })
    expect(answer.status).toBe(400)
    expect(answer.body.message).toMatch(/^webhookUrl: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a private or local address/)
    expect((await tenant.call('/api/team/alerts')).body).toMatchObject({ webhookUrl: null, webhookSecretSet: false })
    expect(await queryDbFile(server.dbPath, 'SELECT count(*) AS n FROM discubot_team_alerts')).toEqual([expect.objectContaining({ n: 1 })])
  })
})

describe('the Slack alert channel', () => {
  it('"Check connection" says to invite the bot while it is not in the channel, and that alerts go there once it is', async () => {
    slack.state.outsiders.add(ALERTS)
    expect((await owner.call('/api/team/alerts', { method: 'PUT', body: { slackChannelId: ALERTS, webhookUrl: receiver.endpoint } })).status).toBe(200)
    const [config] = (await owner.call('/api/configs')).body as { id: string, sourceType: string }[]
    const check = await owner.call(`/api/configs/${config!.id}/check`, { method: 'POST' })
    expect(check.status).toBe(200)
    expect(check.body.findings).toContainEqual({ state: 'warning', message: expect.stringContaining('invite the bot to #ops-alerts') })
    expect(check.body.config.validationState).toBe('warning')

    slack.state.outsiders.delete(ALERTS)
    const fixed = await owner.call(`/api/configs/${config!.id}/check`, { method: 'POST' })
    expect(fixed.body.findings).toContainEqual({ state: 'ok', message: 'Slack: alerts go to #ops-alerts.' })
    expect(fixed.body.config.validationState).toBe('ok')
  })
})
