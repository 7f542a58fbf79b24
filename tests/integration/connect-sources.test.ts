// Connecting sources on a real libSQL file against the Slack and Figma stand-ins: the install
// state (single-use, bound, short-lived), one config per workspace and team whatever the races,
// the workspace's own say (uninstall), and what "Check connection" finds (scopes, channels, the
// Figma webhook); a Figma connect whose answer was lost adopts the webhook instead of making two.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { useDb } from '#layers/discubot/server/utils/db'
import { configureSettings, resolveSettings } from '#layers/discubot/server/utils/settings'
import { addDiscubotTeamMember, createDiscubotTeam, createDiscubotUser } from '#layers/discubot/collections/teams/server/database/queries'
import { consumeDiscubotOauthState, mintDiscubotOauthState } from '#layers/discubot/collections/oauth-states/server/database/queries'
import { createDiscubotConfig, deactivateDiscubotConfigs, listDiscubotConfigs, readConfigSecrets } from '#layers/discubot/collections/configs/server/database/queries'
import { completeSlackInstall, startSlackInstall, type InstallSession } from '#layers/discubot/server/connections/slack-install'
import { connectFigmaWebhook, describeFigmaWebhook, disconnectFigmaWebhook } from '#layers/discubot/server/connections/figma-webhook'
import { checkTeamConfig, createTeamConfig, updateTeamConfig } from '#layers/discubot/server/admin/configs'
import { createTempDb, type TempDb } from '../support/temp-db'
import { rejectionOf } from '../support/caught'
import { slackPlatformError, startSlackStandin, type SlackStandin, type SlackStandinWorkspace } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'
import { slowAnswer } from '../standins/http-standin'

const SIGNING_SECRET = 'install-app-signing-secret'
const BASE_URL = 'http://discubot.test'

let slack: SlackStandin
let figma: FigmaStandin
let temp: TempDb
let ownerA: InstallSession
let ownerB: InstallSession

beforeAll(async () => {
  ;[slack, figma] = await Promise.all([startSlackStandin(), startFigmaStandin()])
})
afterAll(async () => {
  await Promise.all([slack.stop(), figma.stop()])
})

async function owner(slug: string): Promise<InstallSession> {
  const team = await createDiscubotTeam({ name: slug, slug })
  const user = await createDiscubotUser({ email: `owner@${slug}.test`, name: 'Owner' })
  await addDiscubotTeamMember({ teamId: team.id, userId: user.id, role: 'owner' })
  return { teamId: team.id, userId: user.id }
}

beforeEach(async () => {
  temp = await createTempDb()
  slack.faults.clear()
  figma.faults.clear()
  slack.state.installInto = slack.state.workspaces[0]
  configureSettings(resolveSettings({
    slackApiUrl: `${slack.url}/api/`,
    slackOauthUrl: `${slack.url}/oauth/v2/authorize`,
    slackClientId: slack.state.app.clientId,
    slackClientSecret: slack.state.app.clientSecret,
    slackSigningSecret: SIGNING_SECRET,
    figmaApiUrl: figma.url,
    publicBaseUrl: BASE_URL,
    httpTimeoutMs: 1000,
  }))
  ownerA = await owner('team-a')
  ownerB = await owner('team-b')
})
afterEach(() => temp.cleanup())

/** Starts an install and does what the person does on Slack's page; resolves to what Slack sends back. */
async function approved(session: InstallSession, options: { into?: SlackStandinWorkspace, decision?: 'allow' | 'cancel' } = {}) {
  slack.state.installInto = options.into ?? slack.state.workspaces[0]
  const { authorizeUrl } = await startSlackInstall(session)
  const back = new URL(await slack.approve(authorizeUrl, options.decision))
  expect(`${back.origin}${back.pathname}`).toBe(`${BASE_URL}/api/oauth/slack/callback`)
  return { state: back.searchParams.get('state')!, code: back.searchParams.get('code') ?? undefined, error: back.searchParams.get('error') ?? undefined }
}

const slackConfigs = async (session: InstallSession) => (await listDiscubotConfigs(session.teamId)).filter(config => config.sourceType === 'slack')

describe('install states', () => {
  it('complete once, and only for the team and owner they were minted for', async () => {
    const callback = await approved(ownerA)
    expect(await completeSlackInstall(ownerB, callback)).toBeUndefined()
    expect(await completeSlackInstall({ teamId: ownerA.teamId, userId: ownerB.userId }, callback)).toBeUndefined()
    expect(await slackConfigs(ownerB)).toEqual([])
    // Those tries did not spend it.
    expect(await completeSlackInstall(ownerA, callback)).toEqual({ outcome: 'connected', workspaceId: slack.state.teamId })
    expect(await completeSlackInstall(ownerA, callback)).toBeUndefined()
  })

  it('expire, are stored only as hashes, and are pruned once expired', async () => {
    const now = new Date()
    await mintDiscubotOauthState({ state: 'old-state', provider: 'slack', ...ownerA, expiresAt: new Date(now.getTime() - 1) }, new Date(now.getTime() - 600_000))
    expect(await consumeDiscubotOauthState({ state: 'old-state', provider: 'slack', ...ownerA }, now)).toBeUndefined()
    const { state } = await startSlackInstall(ownerA)
    const rows = await useDb().all<{ state_hash: string }>(sql`SELECT state_hash FROM discubot_oauth_states`)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.state_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(rows[0]!.state_hash).not.toContain(state)
  })

  it('are refused with a 409 naming the settings when "Add to Slack" is not set up', async () => {
    configureSettings(resolveSettings({ slackSigningSecret: SIGNING_SECRET, publicBaseUrl: BASE_URL }))
    const error = await rejectionOf(startSlackInstall(ownerA)) as Error & { statusCode?: number }
    expect(error.statusCode).toBe(409)
    expect(error.message).toContain('NUXT_SLACK_CLIENT_ID, NUXT_SLACK_CLIENT_SECRET')
  })
})

describe('an install', () => {
  it('becomes the team\'s Slack config for the workspace, with the token sealed and the app\'s signing secret', async () => {
    await completeSlackInstall(ownerA, await approved(ownerA))
    const [config] = await slackConfigs(ownerA)
    expect(config).toMatchObject({
      active: true,
      name: 'Slack · Stand-in',
      slackWorkspaceId: slack.state.teamId,
      slackWorkspaceName: 'Stand-in',
      slackAppId: slack.state.app.appId,
      botUserId: slack.state.botUserId,
      validationState: 'ok',
      validationMessage: expect.stringContaining('every scope'),
      createdBy: ownerA.userId,
    })
    expect(readConfigSecrets(config!)).toEqual({ botToken: slack.state.token, signingSecret: SIGNING_SECRET })
    expect(config!.secretsCiphertext).not.toContain(slack.state.token)
  })

  it('again updates that config; a hand-made config of the workspace is the one updated', async () => {
    const handMade = await createDiscubotConfig({ teamId: ownerA.teamId, sourceType: 'slack', name: 'By hand', slackWorkspaceId: slack.state.teamId, secrets: { botToken: 'xoxb-old', signingSecret: 'old' } })
    await completeSlackInstall(ownerA, await approved(ownerA))
    await completeSlackInstall(ownerA, await approved(ownerA))
    const configs = await slackConfigs(ownerA)
    expect(configs.map(config => [config.id, config.name])).toEqual([[handMade.id, 'By hand']])
    expect(readConfigSecrets(configs[0]!)).toEqual({ botToken: slack.state.token, signingSecret: SIGNING_SECRET })
  })

  it('of a second workspace makes a second config', async () => {
    const second = slack.state.addWorkspace({ teamId: 'T0INSTALL2', teamName: 'Second' })
    await completeSlackInstall(ownerA, await approved(ownerA))
    expect(await completeSlackInstall(ownerA, await approved(ownerA, { into: second }))).toEqual({ outcome: 'connected', workspaceId: 'T0INSTALL2' })
    expect((await slackConfigs(ownerA)).map(config => config.slackWorkspaceId).sort()).toEqual([slack.state.teamId, 'T0INSTALL2'].sort())
  })

  it('is refused for a workspace another team has, until the workspace uninstalls the app there', async () => {
    await completeSlackInstall(ownerA, await approved(ownerA))
    expect(await completeSlackInstall(ownerB, await approved(ownerB))).toEqual({ outcome: 'taken' })
    expect(await slackConfigs(ownerB)).toEqual([])
    // A deactivation by hand keeps the workspace; the workspace's own uninstall frees it.
    const [configA] = await slackConfigs(ownerA)
    await updateTeamConfig(ownerA.teamId, configA!.id, { active: false }, ownerA.userId)
    expect(await completeSlackInstall(ownerB, await approved(ownerB))).toEqual({ outcome: 'taken' })
    await updateTeamConfig(ownerA.teamId, configA!.id, { active: true }, ownerA.userId)
    await deactivateDiscubotConfigs([configA!], 'The Slack app was uninstalled')
    expect(await completeSlackInstall(ownerB, await approved(ownerB))).toMatchObject({ outcome: 'connected' })
    expect(await slackConfigs(ownerB)).toHaveLength(1)
  })

  it('racing itself (two callbacks of one team) or another team ends with one config in one team', async () => {
    const [one, two] = [await approved(ownerA), await approved(ownerA)]
    const same = await Promise.all([completeSlackInstall(ownerA, one), completeSlackInstall(ownerA, two)])
    expect(same).toEqual([{ outcome: 'connected', workspaceId: slack.state.teamId }, { outcome: 'connected', workspaceId: slack.state.teamId }])
    expect(await slackConfigs(ownerA)).toHaveLength(1)

    const contested = slack.state.addWorkspace({ teamId: 'T0CONTESTED' })
    const [a, b] = [await approved(ownerA, { into: contested }), await approved(ownerB, { into: contested })]
    const results = await Promise.all([completeSlackInstall(ownerA, a), completeSlackInstall(ownerB, b)])
    expect(results.map(result => result?.outcome).sort()).toEqual(['connected', 'taken'])
    const owners = [...await slackConfigs(ownerA), ...await slackConfigs(ownerB)].filter(config => config.slackWorkspaceId === 'T0CONTESTED')
    expect(owners).toHaveLength(1)
  })

  it('cancelled on Slack\'s page, or refused by oauth.v2.access, writes nothing', async () => {
    expect(await completeSlackInstall(ownerA, await approved(ownerA, { decision: 'cancel' }))).toEqual({ outcome: 'denied' })
    slack.faults.push(slackPlatformError('oauth.v2.access', 'invalid_code'))
    expect(await completeSlackInstall(ownerA, await approved(ownerA))).toEqual({ outcome: 'failed', error: 'invalid_code' })
    slack.faults.push({ kind: 'respond', route: 'oauth.v2.access', status: 503, body: 'unavailable' })
    expect(await completeSlackInstall(ownerA, await approved(ownerA))).toEqual({ outcome: 'failed', error: 'slack_unavailable' })
    expect(await slackConfigs(ownerA)).toEqual([])
    // The real exchange sent the app's credentials and the redirect it was authorized with.
    const exchange = slack.calls('oauth.v2.access').at(-1)!
    expect(exchange.args).toMatchObject({ client_id: slack.state.app.clientId, client_secret: slack.state.app.clientSecret, redirect_uri: `${BASE_URL}/api/oauth/slack/callback` })
  })

  it('with a token that lacks scopes is kept, with a warning naming them', async () => {
    const narrow = slack.state.addWorkspace({ teamId: 'T0NARROW', scopes: ['app_mentions:read', 'channels:history', 'chat:write'] })
    await completeSlackInstall(ownerA, await approved(ownerA, { into: narrow }))
    const [config] = await slackConfigs(ownerA)
    expect(config).toMatchObject({ validationState: 'warning', validationMessage: expect.stringContaining('lacks groups:history, users:read, users:read.email, reactions:write') })
  })
})

describe('a config the workspace switched off', () => {
  it('stays off with the reason (however often Slack says it) until an owner switches it on', async () => {
    await completeSlackInstall(ownerA, await approved(ownerA))
    const [config] = await slackConfigs(ownerA)
    expect(await deactivateDiscubotConfigs([config!], 'The Slack app was uninstalled')).toBe(1)
    expect(await deactivateDiscubotConfigs([config!], 'The Slack app was uninstalled')).toBe(0)
    expect((await slackConfigs(ownerA))[0]).toMatchObject({ active: false, deactivatedReason: 'The Slack app was uninstalled', validationState: 'error', validationMessage: 'The Slack app was uninstalled' })
    // Another team's id changes nothing.
    expect(await deactivateDiscubotConfigs([{ id: config!.id, teamId: ownerB.teamId }], 'x')).toBe(0)
    await updateTeamConfig(ownerA.teamId, config!.id, { active: true }, ownerA.userId)
    expect((await slackConfigs(ownerA))[0]).toMatchObject({ active: true, deactivatedReason: null })
  })
})

describe('"Check connection"', () => {
  it('names the scopes a Slack token lacks and the channels the bot is not in', async () => {
    const narrow = slack.state.addWorkspace({ teamId: 'T0CHECK', scopes: ['app_mentions:read', 'channels:history', 'groups:history', 'users:read'] })
    for (const channel of ['C0IN', 'C0OUT']) slack.state.addChannel(channel)
    slack.state.outsiders.add('C0OUT')
    const config = await createTeamConfig(ownerA.teamId, { sourceType: 'slack', name: 'Narrow', slackChannelIds: ['C0IN', 'C0OUT', 'C0GONE'], secrets: { botToken: narrow.token, signingSecret: 's' } }, ownerA.userId)
    const check = (await checkTeamConfig(ownerA.teamId, config.id, ownerA.userId))!
    expect(check.config.validationState).toBe('error')
    const messages = check.findings.map(finding => `${finding.state}: ${finding.message}`)
    expect(messages).toEqual(expect.arrayContaining([
      'error: Slack: the token lacks chat:write, users:read.email, reactions:write. Add them to the app\'s bot scopes (the manifest lists them all) and reinstall the app.',
      expect.stringMatching(/^error: Slack: the bot is not in C0OUT: invite it there/),
      expect.stringMatching(/^error: Slack: channel C0GONE not found/),
    ]))
    expect(check.config.validationMessage).toContain('C0OUT')

    narrow.scopes.push('chat:write', 'users:read.email', 'reactions:write')
    slack.state.outsiders.delete('C0OUT')
    await updateTeamConfig(ownerA.teamId, config.id, { slackChannelIds: ['C0IN', 'C0OUT'] }, ownerA.userId)
    const fixed = (await checkTeamConfig(ownerA.teamId, config.id, ownerA.userId))!
    expect(fixed.config.validationState).toBe('ok')
    expect(fixed.config.validationMessage).toContain('the bot is in C0IN, C0OUT')
  })

  it('says whether the Figma webhook exists, is ACTIVE and sends this config\'s passcode', async () => {
    const config = await createTeamConfig(ownerA.teamId, { sourceType: 'figma', name: 'Design', secrets: { figmaToken: figma.state.token } }, ownerA.userId)
    expect((await checkTeamConfig(ownerA.teamId, config.id, ownerA.userId))!.config).toMatchObject({ validationState: 'error', validationMessage: expect.stringContaining('no webhook is connected') })

    const connected = (await connectFigmaWebhook(ownerA.teamId, config.id, { context: 'file', contextId: 'FiLeKey123456' }, ownerA.userId))!
    const webhook = figma.state.webhooks.get(connected.webhook!.id)!
    await figma.state.settled()
    const check = async () => (await checkTeamConfig(ownerA.teamId, config.id, ownerA.userId))!.config
    expect(await check()).toMatchObject({ validationMessage: expect.stringContaining(`webhook ${webhook.id} on file FiLeKey123456 is ACTIVE`) })

    webhook.status = 'PAUSED'
    expect(await check()).toMatchObject({ validationState: 'error', validationMessage: expect.stringContaining('is PAUSED') })
    webhook.status = 'ACTIVE'
    webhook.passcode = 'changed-in-figma'
    await figma.state.deliver(webhook.id, { event_type: 'PING' })
    expect(await check()).toMatchObject({ validationState: 'error', validationMessage: expect.stringContaining('sends a passcode this source does not have') })
    figma.state.webhooks.delete(webhook.id)
    expect(await check()).toMatchObject({ validationState: 'error', validationMessage: expect.stringContaining('no longer exists') })
  })
})

describe('"Connect webhook"', () => {
  it('adopts the webhook an unanswered create made, and a disconnect deletes it once', async () => {
    const config = await createTeamConfig(ownerA.teamId, { sourceType: 'figma', name: 'Design', secrets: { figmaToken: figma.state.token } }, ownerA.userId)
    // Figma makes the webhook but answers after the client gave up.
    figma.faults.push(slowAnswer('POST /v2/webhooks', 1500, { commitFirst: true }))
    const lost = await rejectionOf(connectFigmaWebhook(ownerA.teamId, config.id, { context: 'project', contextId: '4242' }, ownerA.userId)) as Error & { statusCode?: number }
    expect(lost.statusCode).toBe(503)
    const made = [...figma.state.webhooks.values()].filter(webhook => webhook.context_id === '4242')
    expect(made).toHaveLength(1)

    const again = (await connectFigmaWebhook(ownerA.teamId, config.id, { context: 'project', contextId: '4242' }, ownerA.userId))!
    expect(again.webhook).toEqual({ id: made[0]!.id, context: 'project', contextId: '4242' })
    expect([...figma.state.webhooks.values()].filter(webhook => webhook.context_id === '4242')).toHaveLength(1)
    // The passcode stored before the first try is the one Figma has.
    const [stored] = await listDiscubotConfigs(ownerA.teamId)
    expect(readConfigSecrets(stored!).passcode).toBe(made[0]!.passcode)

    expect(await disconnectFigmaWebhook(ownerA.teamId, config.id, ownerA.userId)).toMatchObject({ webhook: null })
    expect(figma.state.webhooks.has(made[0]!.id)).toBe(false)
    expect(await disconnectFigmaWebhook(ownerA.teamId, config.id, ownerA.userId)).toMatchObject({ webhook: null })
    expect(await describeFigmaWebhook(ownerB.teamId, config.id)).toBeUndefined()
  })

  it('clicked twice at once keeps one webhook, and it sends the passcode the config has', async () => {
    const config = await createTeamConfig(ownerA.teamId, { sourceType: 'figma', name: 'Twice', secrets: { figmaToken: figma.state.token } }, ownerA.userId)
    const results = await Promise.allSettled([
      connectFigmaWebhook(ownerA.teamId, config.id, { context: 'file', contextId: 'TwIcEoNe1234' }, ownerA.userId),
      connectFigmaWebhook(ownerA.teamId, config.id, { context: 'file', contextId: 'TwIcEtWo1234' }, ownerA.userId),
    ])
    expect(results.map(result => result.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect((results.find(result => result.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ statusCode: 409 })
    const ours = [...figma.state.webhooks.values()].filter(webhook => webhook.description?.includes(config.id))
    expect(ours).toHaveLength(1)
    const [stored] = (await listDiscubotConfigs(ownerA.teamId)).filter(row => row.id === config.id)
    expect(stored!.figmaWebhookId).toBe(ours[0]!.id)
    expect(readConfigSecrets(stored!).passcode).toBe(ours[0]!.passcode)
  })
})
