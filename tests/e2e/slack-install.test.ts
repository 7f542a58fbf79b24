// "Add to Slack" against the built server and the Slack stand-in (its authorize page, oauth.v2.access,
// several workspaces with their own tokens): the manifest; install → callback → a config per
// workspace whose mentions are answered with that workspace's token; reinstalls that change no
// count; states that are forged, replayed, expired, cookie-less or another team's (400, nothing
// written); cancel and refused codes told on Sources; a workspace of another team refused; the
// workspace's uninstall and revoked token switching configs off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { countRows, queryDbFile } from '../support/db-file'
import { callApi, createTeamWithUser, signIn, signInWhenReady, withServerDb, addUserToTeam, type AdminClient } from '../support/admin-client'
import { slackPlatformError, startSlackStandin, type SlackStandin, type SlackStandinWorkspace } from '../standins/slack'
import { postSlackEvent, slackAppMention, slackEventCallback } from '../standins/signing'

const ADMIN = { email: 'owner@install.test', password: 'install-owner-password' }
const OWNER_B = { email: 'owner-b@install.test', password: 'install-owner-b-password' }
const SIGNING_SECRET = 'install-app-signing-secret-7f3a'
const CLIENT_SECRET = 'install-client-secret-91c2d'

let slack: SlackStandin
let server: ServerHandle
let owner: AdminClient
let ownerB: AdminClient
let teamB: string
let first: SlackStandinWorkspace
let second: SlackStandinWorkspace

beforeAll(async () => {
  slack = await startSlackStandin()
  slack.state.app.clientSecret = CLIENT_SECRET
  first = slack.state.workspaces[0]!
  second = slack.state.addWorkspace({ teamId: 'T0SECOND', teamName: 'Second workspace' })
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_SLACK_SIGNING_SECRET: SIGNING_SECRET,
      NUXT_SLACK_CLIENT_ID: slack.state.app.clientId,
      NUXT_SLACK_CLIENT_SECRET: CLIENT_SECRET,
      NUXT_SLACK_OAUTH_URL: `${slack.url}/oauth/v2/authorize`,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
    },
  })
  slack.state.app.redirectUrls = [`${server.url}/api/oauth/slack/callback`]
  owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  teamB = (await withServerDb(server, () => createTeamWithUser('team-b', { ...OWNER_B, role: 'owner' }))).team.id
  ownerB = await signIn(server, OWNER_B.email, OWNER_B.password)
})

afterAll(async () => {
  await server?.kill()
  await slack?.stop()
})

const cookiesOf = (headers: Headers) => headers.getSetCookie().map(cookie => cookie.split(';')[0]).join('; ')

/** Starts an install as `client` and approves (or cancels) it on Slack's page; `finish` sends the browser back. */
async function startInstall(client: AdminClient, into: SlackStandinWorkspace = first, decision: 'allow' | 'cancel' = 'allow') {
  slack.state.installInto = into
  const start = await client.call('/api/oauth/slack/install')
  expect(start.status, start.text).toBe(302)
  const stateCookie = cookiesOf(start.headers)
  const authorizeUrl = new URL(start.headers.get('location')!)
  const back = new URL(await slack.approve(authorizeUrl.toString(), decision))
  const path = `${back.pathname}${back.search}`
  return {
    start,
    authorizeUrl,
    stateCookie,
    path,
    state: back.searchParams.get('state')!,
    finish: (cookies: string[] = [client.cookie, stateCookie], at = path) => callApi(server, at, { cookie: cookies.filter(Boolean).join('; ') }),
  }
}

const slackConfigsOf = (teamId?: string) => queryDbFile(server.dbPath,
  `SELECT id, team_id, active, slack_workspace_id, slack_workspace_name, slack_app_id, bot_user_id, deactivated_reason, validation_state FROM discubot_configs WHERE source_type = 'slack'${teamId ? ' AND team_id = ?' : ''} ORDER BY created_at`, teamId ? [teamId] : [])

async function mentionAnswered(workspace: SlackStandinWorkspace, channel: string) {
  slack.state.addChannel(channel)
  const { rootTs } = slack.state.seedThread(channel, { messages: 2, text: i => [`<@${workspace.botUserId}> can you draft the release notes?`, 'Please add the migration steps.'][i]! })
  const response = await postSlackEvent(server.url, slackAppMention({ teamId: workspace.teamId, channel, ts: rootTs, botUserId: workspace.botUserId }), SIGNING_SECRET)
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ status: 'accepted' })
  await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT status FROM discubot_jobs WHERE json_extract(payload, '$.thread.threadTs') = ?`, [rootTs]))[0]?.status === 'completed', { message: `the mention in ${channel} answered` })
  return slack.state.posts.filter(post => post.channel === channel)
}

describe('the Slack app manifest', () => {
  it('is this instance\'s, for owners; the Sources page learns that "Add to Slack" is set up', async () => {
    const manifest = await owner.call('/api/sources/slack/manifest')
    expect(manifest.status).toBe(200)
    expect(manifest.body.oauth_config).toEqual({
      redirect_urls: [`${server.url}/api/oauth/slack/callback`],
      scopes: { bot: ['app_mentions:read', 'channels:history', 'groups:history', 'chat:write', 'users:read', 'users:read.email', 'reactions:write'] },
    })
    expect(manifest.body.settings.event_subscriptions).toEqual({ request_url: `${server.url}/api/webhooks/slack`, bot_events: ['app_mention', 'app_uninstalled', 'tokens_revoked'] })
    expect(manifest.body.features.bot_user.display_name).toBe('discubot')

    const setup = await owner.call('/api/sources/setup')
    expect(setup.body).toEqual({
      baseUrl: server.url,
      endpoints: { slackEvents: `${server.url}/api/webhooks/slack`, slackOauthRedirect: `${server.url}/api/oauth/slack/callback`, figmaWebhook: `${server.url}/api/webhooks/figma` },
      slackInstall: { available: true, missing: [] },
      reachability: null,
    })
    // Only the "Add to Slack" app's signing secret is set: no token-less env config warns on Sources.
    expect(await slackConfigsOf()).toEqual([])
  })
})

describe('"Add to Slack"', () => {
  it('connects a workspace: a single-use state in an HttpOnly cookie, then a config whose mentions are answered with that workspace\'s token', async () => {
    const install = await startInstall(owner)
    expect(Object.fromEntries(install.authorizeUrl.searchParams)).toEqual({
      client_id: slack.state.app.clientId,
      scope: 'app_mentions:read,channels:history,groups:history,chat:write,users:read,users:read.email,reactions:write',
      redirect_uri: `${server.url}/api/oauth/slack/callback`,
      state: install.state,
    })
    const cookie = install.start.headers.getSetCookie().find(c => c.startsWith('discubot-oauth-slack='))!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).toMatch(/Path=\/api\/oauth\/slack\//)
    expect(cookie).toMatch(/Max-Age=600/)

    const done = await install.finish()
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toBe(`/sources?slack=connected&workspace=${first.teamId}`)
    // The browser's state cookie is spent.
    expect(done.headers.getSetCookie().find(c => c.startsWith('discubot-oauth-slack='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i)

    const [config] = (await owner.call('/api/configs')).body
    expect(config).toMatchObject({
      sourceType: 'slack',
      active: true,
      slackWorkspaceId: first.teamId,
      slackWorkspaceName: 'Stand-in',
      slackAppId: slack.state.app.appId,
      botUserId: first.botUserId,
      validationState: 'ok',
      secretsSet: { botToken: true, signingSecret: true },
    })
    const posts = await mentionAnswered(first, 'C0FIRST')
    expect(posts.map(post => post.teamId)).toEqual([first.teamId])
  })

  it('connects a second workspace as a second config; reinstalling keeps one config per workspace', async () => {
    expect((await (await startInstall(owner, second)).finish()).headers.get('location')).toBe('/sources?slack=connected&workspace=T0SECOND')
    const before = await slackConfigsOf()
    expect(before.map(row => row.slack_workspace_id)).toEqual([first.teamId, 'T0SECOND'])
    expect((await mentionAnswered(second, 'C0SECOND')).map(post => post.teamId)).toEqual(['T0SECOND'])

    for (const workspace of [first, second, first]) expect((await (await startInstall(owner, workspace)).finish()).status).toBe(302)
    expect((await slackConfigsOf()).map(row => row.id)).toEqual(before.map(row => row.id))
  })

  it('answers a forged, cookie-less, replayed, expired or other team\'s state with a 400 page and writes nothing', async () => {
    const exchanges = () => slack.calls('oauth.v2.access').length
    const configs = await countRows(server.dbPath, 'discubot_configs')
    const exchanged = exchanges()
    const refused = async (answer: Awaited<ReturnType<typeof callApi>>, message: RegExp) => {
      expect(answer.status).toBe(400)
      expect(answer.headers.get('content-type')).toMatch(/text\/html/)
      expect(answer.text).toMatch(message)
    }

    // Forged: a state (and a cookie to match) this server never minted.
    await refused(await callApi(server, '/api/oauth/slack/callback?code=anything&state=forged-state', { cookie: `${owner.cookie}; discubot-oauth-slack=forged-state` }), /expired, was already used/)
    await refused(await callApi(server, '/api/oauth/slack/callback?code=anything', { cookie: owner.cookie }), /not started in this browser/)

    // The state without its cookie (a link opened in another browser): refused, and left usable.
    const install = await startInstall(owner)
    await refused(await install.finish([owner.cookie]), /not started in this browser/)
    // Another team's owner with both the link and the cookie: refused, and left usable too.
    await refused(await install.finish([ownerB.cookie, install.stateCookie]), /started for another team or person/)
    expect(await slackConfigsOf(teamB)).toEqual([])
    expect((await install.finish()).headers.get('location')).toBe(`/sources?slack=connected&workspace=${first.teamId}`)
    // Replayed: the same callback again.
    await refused(await install.finish(), /already used/)

    // Expired: ten minutes went by on Slack's page.
    const late = await startInstall(owner)
    const db = createClient({ url: `file:${server.dbPath}` })
    await db.execute({ sql: 'UPDATE discubot_oauth_states SET expires_at = ? WHERE used_at IS NULL', args: [Date.now() - 1000] })
    db.close()
    await refused(await late.finish(), /expired/)

    expect(await countRows(server.dbPath, 'discubot_configs')).toBe(configs)
    // Only the one install that was allowed to finish reached Slack.
    expect(exchanges()).toBe(exchanged + 1)
  })

  it('tells Sources when the person cancels or Slack refuses the code, and writes nothing', async () => {
    const configs = await countRows(server.dbPath, 'discubot_configs')
    expect((await (await startInstall(owner, first, 'cancel')).finish()).headers.get('location')).toBe('/sources?slack=denied')
    slack.faults.push(slackPlatformError('oauth.v2.access', 'invalid_code'))
    expect((await (await startInstall(owner)).finish()).headers.get('location')).toBe('/sources?slack=failed&error=invalid_code')
    expect(await countRows(server.dbPath, 'discubot_configs')).toBe(configs)
  })

  it('refuses a workspace that is connected to another team', async () => {
    const done = await (await startInstall(ownerB, first)).finish()
    expect(done.headers.get('location')).toBe('/sources?slack=taken')
    expect(await slackConfigsOf(teamB)).toEqual([])
    expect((await slackConfigsOf()).filter(row => row.slack_workspace_id === first.teamId)).toHaveLength(1)
  })

  it('is not offered to a member', async () => {
    await withServerDb(server, async () => {
      const [configRow] = await slackConfigsOf()
      await addUserToTeam(String(configRow!.team_id), { email: 'member@install.test', password: 'member-password-123', role: 'member' })
    })
    const member = await signIn(server, 'member@install.test', 'member-password-123')
    expect((await member.call('/api/oauth/slack/install')).status).toBe(403)
    expect((await member.call('/api/sources/slack/manifest')).status).toBe(403)
  })
})

describe('the workspace\'s own say', () => {
  it('app_uninstalled and tokens_revoked switch the workspace\'s config off with the reason; adding it to Slack again brings it back', async () => {
    const uninstalled = await postSlackEvent(server.url, slackEventCallback(second.teamId, { type: 'app_uninstalled' }), SIGNING_SECRET)
    expect(await uninstalled.json()).toMatchObject({ status: 'deactivated' })
    const [off] = (await slackConfigsOf()).filter(row => row.slack_workspace_id === second.teamId)
    expect(off).toMatchObject({ active: 0, validation_state: 'error', deactivated_reason: expect.stringContaining('uninstalled') })
    // Its mentions reach no config now.
    const mention = await postSlackEvent(server.url, slackAppMention({ teamId: second.teamId, channel: 'C0SECOND', botUserId: second.botUserId }), SIGNING_SECRET)
    expect(await mention.json()).toEqual({ ok: true, status: 'unknown_workspace' })

    const revoked = await postSlackEvent(server.url, slackEventCallback(first.teamId, { type: 'tokens_revoked', tokens: { oauth: [], bot: [first.botUserId] } }), SIGNING_SECRET)
    expect(await revoked.json()).toMatchObject({ status: 'deactivated' })
    expect((await slackConfigsOf()).find(row => row.slack_workspace_id === first.teamId)).toMatchObject({ active: 0, deactivated_reason: expect.stringContaining('revoked') })

    expect((await (await startInstall(owner, second)).finish()).headers.get('location')).toBe('/sources?slack=connected&workspace=T0SECOND')
    expect((await slackConfigsOf()).find(row => row.slack_workspace_id === second.teamId)).toMatchObject({ id: off!.id, active: 1, deactivated_reason: null })
  })

  it('"Check connection" names the scopes the token lacks', async () => {
    second.scopes = second.scopes.filter(scope => scope !== 'reactions:write' && scope !== 'users:read.email')
    const config = (await owner.call('/api/configs')).body.find((c: { slackWorkspaceId: string }) => c.slackWorkspaceId === second.teamId)
    const check = await owner.call(`/api/configs/${config.id}/check`, { method: 'POST' })
    expect(check.body.config).toMatchObject({ validationState: 'warning', validationMessage: expect.stringContaining('lacks users:read.email, reactions:write') })
  })
})

describe('secrets', () => {
  it('the client secret, the bot tokens and the codes never reach an answer or the log', async () => {
    const answers = [
      await owner.call('/api/configs'),
      await owner.call('/api/sources/setup'),
      await owner.call('/api/sources/slack/manifest'),
    ].map(answer => answer.text).join('\n')
    const codes = slack.calls('oauth.v2.access').map(call => String(call.args.code))
    expect(codes.length).toBeGreaterThan(3)
    const logs = server.logs()
    for (const secret of [CLIENT_SECRET, SIGNING_SECRET, first.token, second.token, ...codes]) {
      expect(answers).not.toContain(secret)
      expect(logs).not.toContain(secret)
    }
  })
})
