// Who may call what, for every route under server/api (read from the files, so a new route must be
// classified here before this file passes): no session → 401; another team's session on team A's
// ids → 404, and nothing of team A in any answer; a member where an owner is needed → 403. Then the
// secrets: every secret the server knows has a distinctive value, every route is called (error
// paths, config checks and a failing-then-succeeding pipeline included), and no answer and no line
// of the server's log contains any of them.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { addUserToTeam, callApi, createTeamWithUser, signIn, signInWhenReady, type AdminClient, type ApiAnswer } from '../support/admin-client'
import { closeDb, openServerDb, queryDbFile } from '../support/db-file'
import { watchRows, type RowWatcher } from '../support/row-snapshot'
import { seedFailedDiscussion } from '../support/seed-admin'
import { seedJob, seedTask } from '../support/seed-rows'
import { idCollection, listApiRoutes, routePath, type ApiRoute } from '../support/api-routes'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'
import { startNotionStandin, type NotionStandin } from '../standins/notion'
import { startModelStandin, type ModelStandin } from '../standins/model'
import { figmaFileComment, postFigmaEvent, postSlackEvent, slackAppMention } from '../standins/signing'
import { useDb } from '#layers/discubot/server/utils/db'
import { getDiscubotTeamBySlug } from '#layers/discubot/collections/teams/server/database/queries'
import { discubotTimers } from '#layers/discubot/collections/timers/server/database/schema'
import { recordSourceUserProfile, sourceUserRowId } from '#layers/discubot/collections/people/server/database/queries'
import { saveDiscubotTeamInvite } from '#layers/discubot/collections/teams/server/database/invites'

/**
 * public: anyone (webhooks authenticate by signature/passcode, sign-in routes by what they check);
 * team: anyone of the session's team, viewers included (reads); member: a member or an owner (acting
 * on the work); owner: an owner of it; instance: an owner of the default team.
 */
type Access = 'public' | 'team' | 'member' | 'owner' | 'instance'
const ACCESS: Record<string, Access> = {
  'GET /api/health': 'public',
  // Its own guard: the NUXT_METRICS_TOKEN bearer (401 without it), no session.
  'GET /api/metrics': 'public',
  'GET /api/ping': 'public',
  'POST /api/webhooks/slack': 'public',
  'POST /api/webhooks/figma': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/setup': 'public',
  'POST /api/auth/setup': 'public',
  'GET /api/session-info': 'team',
  'GET /api/overview': 'team',
  'GET /api/schedules': 'team',
  'GET /api/settings': 'team',
  'GET /api/jobs': 'team',
  'GET /api/jobs/:id': 'team',
  'POST /api/jobs/retry-matching': 'member',
  'POST /api/jobs/:id/retry': 'member',
  'POST /api/jobs/:id/discard': 'member',
  'POST /api/jobs/:id/cancel': 'member',
  'POST /api/jobs/discard': 'member',
  'GET /api/deliveries': 'team',
  'GET /api/discussions': 'team',
  'GET /api/discussions/:id': 'team',
  'POST /api/discussions/:id/retry': 'member',
  'POST /api/discussions/retry': 'member',
  'POST /api/discussions': 'member',
  'POST /api/discussions/preview': 'member',
  'GET /api/tasks': 'team',
  'GET /api/tasks/:id': 'team',
  'GET /api/configs': 'team',
  'POST /api/configs': 'owner',
  'PATCH /api/configs/:id': 'owner',
  'GET /api/configs/:id/figma/webhook': 'team',
  'GET /api/configs/:id/notion/databases': 'owner',
  'GET /api/configs/:id/notion/mapping': 'owner',
  'POST /api/configs/:id/notion/marker': 'owner',
  'GET /api/team/alerts': 'owner',
  'PUT /api/team/alerts': 'owner',
  'POST /api/team/alerts/test': 'owner',
  'POST /api/configs/:id/figma/webhook': 'owner',
  'DELETE /api/configs/:id/figma/webhook': 'owner',
  'GET /api/sources/setup': 'team',
  'GET /api/sources/slack/manifest': 'owner',
  'GET /api/oauth/slack/install': 'owner',
  // Slack sends the browser back here: the state, its cookie and the owner's session decide, not a guard.
  'GET /api/oauth/slack/callback': 'public',
  'POST /api/configs/:id/check': 'owner',
  'POST /api/settings': 'instance',
  'POST /api/settings/cleanup': 'instance',
  'GET /api/auth/invite': 'public',
  'POST /api/auth/invite': 'public',
  'GET /api/auth/password-reset': 'public',
  'POST /api/auth/password-reset': 'public',
  'POST /api/auth/password': 'team',
  'GET /api/people': 'team',
  'GET /api/people/notion-users': 'team',
  'PATCH /api/people/:id': 'owner',
  'POST /api/people/import': 'owner',
  'GET /api/team/members': 'owner',
  'POST /api/team/invites': 'owner',
  'DELETE /api/team/invites/:id': 'owner',
  'PATCH /api/team/members/:userId': 'owner',
  'DELETE /api/team/members/:userId': 'owner',
  'POST /api/team/members/:userId/password-reset': 'owner',
}

/** Routes whose body (not path) names a team A row: another team gets a 404 all the same. */
const BODY_NAMES_TEAM_A_ROW = new Set(['POST /api/discussions/preview'])

const ROUTES = listApiRoutes()
const GUARDED = ROUTES.filter(route => ACCESS[route.key] !== 'public')

/** A distinctive value per secret; its random part is what the scans look for. */
function secret(prefix: string, minLength = 0) {
  const value = `${prefix}${randomBytes(12).toString('hex')}`
  return value.padEnd(minLength, 'x')
}
const SECRETS = {
  sessionPassword: secret('session-password-', 40),
  secretsKey: secret('secrets-key-', 40),
  slackSigningSecret: secret('slack-signing-'),
  slackBotToken: secret('xoxb-env-'),
  figmaToken: secret('figd_env_'),
  figmaPasscode: secret('figma-passcode-'),
  notionToken: secret('ntn_env_'),
  anthropicApiKey: secret('sk-ant-env-'),
  openaiApiKey: secret('sk-openai-env-'),
  adminPassword: secret('admin-password-'),
  metricsToken: secret('metrics-token-'),
  // Written through the config API; the tokens are wrong on purpose, so checks take their error paths.
  configSigningSecret: secret('slack-signing-api-'),
  configBotToken: secret('xoxb-api-'),
  configFigmaToken: secret('figd_api_'),
  configPasscode: secret('figma-passcode-api-'),
  configNotionToken: secret('ntn_api_'),
  configAiKey: secret('sk-api-'),
  patchedBotToken: secret('xoxb-patched-'),
  ownerBPassword: secret('owner-b-password-'),
  slackClientSecret: secret('slack-client-secret-'),
  installedBotToken: secret('xoxb-installed-'),
  memberPassword: secret('member-password-'),
}

const ADMIN_EMAIL = 'owner-a@example.com'
const OWNER_B = 'owner-b@example.com'
const MEMBER_A = 'member-a@example.com'
const VIEWER_A = 'viewer-a@example.com'
/** The member the `:userId` routes name (removed in the end by the owner's sweep). */
const TARGET_A = 'target-a@example.com'
const MARK_A = `team-a-${randomBytes(6).toString('hex')}`
const CHANNEL = 'C0ACCESS'

// Everything below runs twice: against a server logging pretty text and one logging JSON lines,
// so the secret scan holds in both formats.
describe.each(['pretty', 'json'] as const)('with %s logs', (logFormat) => {
  let slack: SlackStandin
  let figma: FigmaStandin
  let notion: NotionStandin
  let model: ModelStandin
  let server: ServerHandle
  let ownerA: AdminClient
  let ownerB: AdminClient
  /** Each client's password, for the one route that wants it (changing it to itself). */
  const passwords = new Map<AdminClient, string>()
  let memberA: AdminClient
  let viewerA: AdminClient
  let teamA: { teamId: string, ids: Record<string, string>, routeIds: Record<string, string>, delayedJobId: string, quietJobIds: string[], pasteConfigId: string, markers: string[] }
  /** Every answer of the file (status line, headers, body), scanned for secrets at the end. */
  const answers: string[] = []
  /** OAuth codes Slack handed out: secrets too, for as long as they live. */
  const fragmentsOfCodes: string[] = []

  beforeAll(async () => {
    [slack, figma, notion, model] = await Promise.all([
      startSlackStandin({ token: SECRETS.slackBotToken }),
      startFigmaStandin({ token: SECRETS.figmaToken }),
      startNotionStandin({ token: SECRETS.notionToken }),
      // The configured key is refused at first, so the first analysis fails; the test swaps it in later.
      startModelStandin({ apiKey: 'not-the-configured-key' }),
    ])
    slack.state.addChannel(CHANNEL)
    slack.state.app.clientSecret = SECRETS.slackClientSecret
    slack.state.installInto = slack.state.addWorkspace({ teamId: 'T0INSTALLED', token: SECRETS.installedBotToken })
    const database = notion.state.addDatabase({ title: 'Tasks' })
    server = await startServer({
      env: {
        NUXT_SESSION_PASSWORD: SECRETS.sessionPassword,
        NUXT_SECRETS_KEY: SECRETS.secretsKey,
        NUXT_ADMIN_EMAIL: ADMIN_EMAIL,
        NUXT_ADMIN_PASSWORD: SECRETS.adminPassword,
        NUXT_SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
        NUXT_SLACK_BOT_TOKEN: SECRETS.slackBotToken,
        NUXT_SLACK_API_URL: `${slack.url}/api/`,
        NUXT_FIGMA_TOKEN: SECRETS.figmaToken,
        NUXT_FIGMA_WEBHOOK_PASSCODE: SECRETS.figmaPasscode,
        NUXT_FIGMA_API_URL: figma.url,
        NUXT_NOTION_TOKEN: SECRETS.notionToken,
        NUXT_NOTION_DATABASE_ID: database.id,
        NUXT_NOTION_API_URL: notion.url,
        NUXT_ANTHROPIC_API_KEY: SECRETS.anthropicApiKey,
        NUXT_ANTHROPIC_BASE_URL: model.url,
        NUXT_OPENAI_API_KEY: SECRETS.openaiApiKey,
        NUXT_SLACK_CLIENT_ID: slack.state.app.clientId,
        NUXT_SLACK_CLIENT_SECRET: SECRETS.slackClientSecret,
        NUXT_SLACK_OAUTH_URL: `${slack.url}/oauth/v2/authorize`,
        NUXT_WORKER_CONCURRENCY: '1',
        NUXT_METRICS_TOKEN: SECRETS.metricsToken,
        NUXT_LOG_FORMAT: logFormat,
      },
    })
    // The test process encrypts nothing itself, but keep its key in step with the server's anyway.
    process.env.NUXT_SECRETS_KEY = SECRETS.secretsKey
    ownerA = recorded(await signInWhenReady(server, ADMIN_EMAIL, SECRETS.adminPassword), SECRETS.adminPassword)
    await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT count(*) AS n FROM discubot_configs WHERE from_env = 1 AND validation_state = 'ok'`))[0]?.n === 2, { message: 'env configs validated' })
    openServerDb(server.dbPath)
    teamA = await seedTeamA()
    await createTeamWithUser('team-b', { email: OWNER_B, password: SECRETS.ownerBPassword, role: 'owner' })
    await addUserToTeam(teamA.teamId, { email: MEMBER_A, password: SECRETS.memberPassword, role: 'member' })
    await addUserToTeam(teamA.teamId, { email: VIEWER_A, password: SECRETS.memberPassword, role: 'viewer' })
    ownerB = recorded(await signIn(server, OWNER_B, SECRETS.ownerBPassword), SECRETS.ownerBPassword)
    memberA = recorded(await signIn(server, MEMBER_A, SECRETS.memberPassword), SECRETS.memberPassword)
    viewerA = recorded(await signIn(server, VIEWER_A, SECRETS.memberPassword), SECRETS.memberPassword)
  })

  afterAll(async () => {
    closeDb()
    delete process.env.NUXT_SECRETS_KEY
    await server?.kill()
    await Promise.all([slack?.stop(), figma?.stop(), notion?.stop(), model?.stop()])
  })

  /** Team A's rows, one of each kind a route can name, all titled with a marker no other team has. */
  async function seedTeamA() {
    const db = useDb()
    const teamId = (await getDiscubotTeamBySlug('default'))!.id
    const { discussion, job } = await seedFailedDiscussion(db, teamId, `${MARK_A}-thread`, { title: `${MARK_A} secret plans` })
    const task = await seedTask(db, teamId, discussion.id, 0, { title: `${MARK_A} task` })
    const delayed = await seedJob(db, teamId, `${MARK_A}-delayed`, { title: `${MARK_A} delayed`, status: 'pending', runAt: new Date(Date.now() + 86_400_000) })
    // Job controls act on jobs of their own, so the retries of the failed discussion above stay possible.
    const toDiscard = await seedFailedDiscussion(db, teamId, `${MARK_A}-discard`, { title: `${MARK_A} to discard` })
    const toCancel = await seedJob(db, teamId, `${MARK_A}-cancel`, { title: `${MARK_A} to cancel`, status: 'pending', runAt: new Date(Date.now() + 86_400_000) })
    await db.insert(discubotTimers).values({ name: `${MARK_A}-timer`, teamId, kind: 'once', callback: 'cleanup', nextRunAt: new Date(Date.now() + 86_400_000), createdBy: 'system', updatedBy: 'system' })
    const config = await ownerA.call('/api/configs', {
      method: 'POST',
      body: {
        sourceType: 'slack',
        name: `${MARK_A} Slack`,
        secrets: { signingSecret: SECRETS.configSigningSecret, botToken: SECRETS.configBotToken, notionToken: SECRETS.configNotionToken, aiApiKey: SECRETS.configAiKey },
      },
    })
    expect(config.status).toBe(201)
    // Pasted conversations read offline, so a dry run answers whatever the model stand-in thinks of the key.
    const pastes = await ownerA.call('/api/configs', { method: 'POST', body: { sourceType: 'manual', name: `${MARK_A} Pastes`, aiProvider: 'offline' } })
    expect(pastes.status).toBe(201)
    const scope = { teamId, source: 'slack' as const, workspaceId: 'T0ACCESS' }
    await recordSourceUserProfile(scope, { sourceUserId: 'U0ACCESS', displayName: 'access', realName: `${MARK_A} Person`, email: 'person-a@example.com', avatarUrl: null, isBot: false }, new Date())
    const invite = await saveDiscubotTeamInvite({ teamId, email: 'pending-a@example.com', role: 'viewer', tokenHash: 'not-a-real-token-hash', expiresAt: new Date(Date.now() + 86_400_000), createdBy: 'system' })
    const target = await addUserToTeam(teamId, { email: TARGET_A, password: SECRETS.memberPassword, role: 'member' })
    const ids = { jobs: job.id, discussions: discussion.id, tasks: task.id, configs: config.body.id as string, people: sourceUserRowId(scope, 'U0ACCESS'), invites: invite.id, userId: target.id }
    const routeIds = { 'POST /api/jobs/:id/discard': toDiscard.job.id, 'POST /api/jobs/:id/cancel': toCancel.id } as Record<string, string>
    return { teamId, ids, routeIds, delayedJobId: delayed.id, quietJobIds: [delayed.id, toCancel.id], pasteConfigId: pastes.body.id as string, markers: [teamId, ...Object.values(ids), ...Object.values(routeIds), delayed.id, pastes.body.id, MARK_A, ADMIN_EMAIL, MEMBER_A, TARGET_A] }
  }

  function recorded(client: AdminClient, password: string): AdminClient {
    const wrapped = { ...client, call: async (path: string, init?: { method?: string, body?: unknown }) => remember(await client.call(path, init)) }
    passwords.set(wrapped, password)
    return wrapped
  }

  function remember<T extends ApiAnswer>(answer: T): T {
    answers.push(`${answer.status}\n${[...answer.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${answer.text}`)
    return answer
  }

  /** A body each guarded route accepts from team A's owner (or `client`), naming team A's rows where it takes ids. */
  function validBody(route: ApiRoute, client?: AdminClient): unknown {
    const password = client && passwords.get(client)
    const bodies: Record<string, unknown> = {
      'POST /api/jobs/retry-matching': {},
      'POST /api/discussions/retry': { ids: [teamA.ids.discussions] },
      'POST /api/jobs/discard': { ids: [teamA.routeIds['POST /api/jobs/:id/discard']] },
      'POST /api/configs': { sourceType: 'figma', name: 'Another source', secrets: { figmaToken: SECRETS.configFigmaToken, passcode: SECRETS.configPasscode } },
      'PATCH /api/configs/:id': { name: `${MARK_A} Slack (renamed)`, secrets: { botToken: SECRETS.patchedBotToken } },
      'POST /api/configs/:id/figma/webhook': { context: 'file', contextId: 'AbC123xyz789' },
      'POST /api/discussions': { title: 'Staging password', messages: [{ author: 'Dana', text: 'Can you rotate the staging password?' }] },
      'POST /api/discussions/preview': { configId: teamA.pasteConfigId, messages: [{ author: 'Dana', text: 'Can you rotate the staging password?' }] },
      'POST /api/configs/:id/notion/marker': {},
      // A public address (TEST-NET-3), so any team may save it; nothing answers there.
      'PUT /api/team/alerts': { slackChannelId: CHANNEL, webhookUrl: 'https://203.0.113.10/discubot-alerts' },
      'POST /api/settings': { jobRetentionDays: 30 },
      'POST /api/auth/login': { email: ADMIN_EMAIL, password: 'not-the-password' },
      'POST /api/auth/setup': { token: 'no-such-token', email: 'someone@example.com', password: 'long-enough-password' },
      'POST /api/auth/invite': { token: 'no-such-token', name: 'Someone', password: 'long-enough-password' },
      'POST /api/auth/password-reset': { token: 'no-such-token', password: 'long-enough-password' },
      // Changing it to itself: allowed, and it ends the caller's other sessions only.
      'POST /api/auth/password': { currentPassword: password ?? 'not-the-password', newPassword: password ?? 'long-enough-password' },
      'PATCH /api/people/:id': { notionUserId: null },
      'POST /api/people/import': { csv: 'source_user,notion_email\n' },
      'POST /api/team/invites': { email: 'invitee@example.com', role: 'member' },
      'PATCH /api/team/members/:userId': { role: 'viewer' },
    }
    return bodies[route.key]
  }

  /** The route's URL with team A's row for `:id` (or `:userId`); a new id-taking collection must be added to seedTeamA. */
  function urlOf(route: ApiRoute, ids: Record<string, string> = teamA.ids): string {
    const values = Object.fromEntries(route.params.map((param) => {
      const key = param === 'id' ? idCollection(route) : param
      const id = (param === 'id' ? teamA.routeIds[route.key] : undefined) ?? (key ? ids[key] : undefined)
      if (!id) throw new Error(`${route.key}: seed a team A row for "${key}" so this route is tested with a real id`)
      return [param, id]
    }))
    return routePath(route, values)
  }

  function call(client: AdminClient | undefined, route: ApiRoute): Promise<ApiAnswer> {
    const init = { method: route.method, body: validBody(route, client) }
    return client ? client.call(urlOf(route), init) : callApi(server, urlOf(route), init).then(remember)
  }

  /** Team A's markers in an answer, except ids the request itself sent (a bulk retry echoes them back as not found). */
  function leakedMarkers(answer: ApiAnswer, route: ApiRoute): string[] {
    const sent = `${urlOf(route)} ${JSON.stringify(validBody(route) ?? '')}`
    return teamA.markers.filter(marker => answer.text.includes(marker) && !sent.includes(marker))
  }

  describe('route classification', () => {
    it('every route under server/api has an access class, and every class names a route', () => {
      const unclassified = ROUTES.filter(route => !ACCESS[route.key]).map(route => `${route.key} (${route.file})`)
      expect(unclassified, 'classify these routes in ACCESS').toEqual([])
      expect(Object.keys(ACCESS).sort()).toEqual(ROUTES.map(route => route.key).sort())
      console.log(`access control over ${ROUTES.length} routes: ${GUARDED.length} guarded (${GUARDED.filter(r => ACCESS[r.key] !== 'team').length} owner-only), ${ROUTES.length - GUARDED.length} public`)
    })
  })

  describe('without a session', () => {
    it('every guarded route answers 401, whatever the method and body', async () => {
      for (const route of GUARDED) {
        const answer = await call(undefined, route)
        expect(answer.status, route.key).toBe(401)
        expect(leakedMarkers(answer, route), route.key).toEqual([])
      }
    })

    it('a cookie sealed by another Discubot (another session password) is no session', async () => {
      // A real session of an admin, sealed by a server that ran with the tests' default password.
      const sealedElsewhere = 'nuxt-session=Fe26.2**0c4c23d0c4437909ba48e884a262b72b7319704ea9f0beac933bbc6d3331116f*g6QzKUsbsDjkeDPMQr47cg*4ycxInkn8GsXjweJ8gV6703w4RfEP-JuHUzPDI9YOlsLKlreg3SoJk9zYIOW_s0edgfywrcmNAWvglsVJkzk4WxAxBfT-9TX8Ytf9W3VMhI8xsjuHYAWQcrQboXrYBjBtWJ7ATZrv1iy9zhNIecB8ekMaYIWNy8w5AsBx7NAr8cnAzZO_mFJKAJgCMU-LB2NVx9naCCI2Qh_IG_rXHPCdUmGWbxEIQjkoYHZKAin5hcRjNtNS9W3t5xdOlx01wYB4bZLf0Ogiwj6OwVMPmc8jt9uO4h5JMSOUmffSsIHRfvDKEvlosK6d5VaAunGg4n7**0a63aaf5d86f1848ef88fa75190971422deb70845d2c5a13a5a6991981138bdb*8UIQ1uX9v6kW4gdBglG1_JkA84nxRE-clxYfpvLdT_o'
      for (const route of GUARDED) {
        expect((remember(await callApi(server, urlOf(route), { method: route.method, body: validBody(route), cookie: sealedElsewhere }))).status, route.key).toBe(401)
      }
    })
  })

  describe('another team\'s session', () => {
    const TEAM_TABLES = ['discubot_configs', 'discubot_discussions', 'discubot_jobs', 'discubot_job_stages', 'discubot_tasks', 'discubot_team_members', 'discubot_source_users', 'discubot_notion_users', 'discubot_team_invites', 'discubot_password_resets']
    let rows: RowWatcher

    beforeAll(() => {
      rows = watchRows(server.dbPath, { tables: TEAM_TABLES, teamId: teamA.teamId })
    })
    afterAll(() => rows.close())

    it('gets 404 for each of team A\'s ids, 403 on instance settings, and never a byte of team A', async () => {
      const before = await rows.snapshot()
      for (const route of GUARDED) {
        const answer = await call(ownerB, route)
        const what = `${route.key} → ${answer.status} ${answer.text.slice(0, 200)}`
        if (route.params.length > 0 || BODY_NAMES_TEAM_A_ROW.has(route.key)) expect(answer.status, what).toBe(404)
        else if (ACCESS[route.key] === 'instance') expect(answer.status, what).toBe(403)
        else expect(answer.status, what).toBeLessThan(400)
        expect(leakedMarkers(answer, route), what).toEqual([])
      }
      // What B sent in team A's name did nothing to team A.
      expect(await rows.snapshot()).toEqual(before)
    })

    it('a bulk retry of team A\'s ids reports each as not found', async () => {
      const answer = await ownerB.call('/api/discussions/retry', { method: 'POST', body: { ids: [teamA.ids.discussions, teamA.delayedJobId] } })
      expect(answer.body.results).toEqual([
        { id: teamA.ids.discussions, error: expect.any(String), statusCode: 404 },
        { id: teamA.delayedJobId, error: expect.any(String), statusCode: 404 },
      ])
    })
  })

  describe('a member of team A', () => {
    it('gets 403 on every owner-only route and is let through the others', async () => {
      for (const route of GUARDED) {
        const answer = await call(memberA, route)
        const what = `${route.key} → ${answer.status} ${answer.text.slice(0, 200)}`
        if (ACCESS[route.key] === 'team' || ACCESS[route.key] === 'member') expect(answer.status, what).toBeLessThan(400)
        else expect(answer.status, what).toBe(403)
      }
      // The 403s changed nothing: the config keeps its name.
      const configs = await ownerA.call('/api/configs')
      expect(configs.body.find((c: { id: string }) => c.id === teamA.ids.configs).name).toBe(`${MARK_A} Slack`)
    })
  })

  describe('a viewer of team A', () => {
    it('reads everything its team has and gets 403 on every change, which changes nothing', async () => {
      const before = await queryDbFile(server.dbPath, 'SELECT count(*) AS jobs, (SELECT group_concat(status) FROM discubot_discussions) AS discussions FROM discubot_jobs')
      for (const route of GUARDED) {
        const answer = await call(viewerA, route)
        const what = `${route.key} → ${answer.status} ${answer.text.slice(0, 200)}`
        if (ACCESS[route.key] === 'team') expect(answer.status, what).toBeLessThan(400)
        else expect(answer.status, what).toBe(403)
      }
      expect(await queryDbFile(server.dbPath, 'SELECT count(*) AS jobs, (SELECT group_concat(status) FROM discubot_discussions) AS discussions FROM discubot_jobs')).toEqual(before)
    })
  })

  describe('secrets', () => {
    /** Jobs still to run (the seeded delayed job waits a day and does not count). */
    const busy = async () => (await queryDbFile(server.dbPath, `SELECT count(*) AS n FROM discubot_jobs WHERE status IN ('pending', 'processing') AND id NOT IN (?, ?)`, teamA.quietJobIds))[0]?.n
    const idle = () => waitFor(async () => Number(await busy()) === 0, { message: 'the queue to drain' })
    const discussionOf = async (threadLike: string) => (await queryDbFile(server.dbPath, 'SELECT id, status FROM discubot_discussions WHERE source_thread_id LIKE ?', [`%${threadLike}%`]))[0]
    const lastJobOf = async (discussionId: unknown) => (await queryDbFile(server.dbPath, 'SELECT id, status, error FROM discubot_jobs WHERE discussion_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1', [discussionId as string]))[0]

    it('never appear in an answer or in the server log, through failures and successes', async () => {
      // A Slack thread whose analysis fails (the model refuses the key), then succeeds on retry.
      const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 3, text: i => [`Checkout breaks on Safari`, 'Can you fix the checkout CTA on mobile?', 'TODO: add an analytics event'][i]! })
      const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, threadTs: rootTs, botUserId: slack.state.botUserId })
      expect((await postSlackEvent(server.url, mention, SECRETS.slackSigningSecret)).status).toBe(200)
      await idle()
      const discussion = await discussionOf(rootTs)
      const failed = await lastJobOf(discussion?.id)
      expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/anthropic|api key|401/i) })
      answers.push(JSON.stringify((await ownerA.call(`/api/jobs/${failed!.id}`)).body))

      model.state.apiKey = SECRETS.anthropicApiKey
      expect((await ownerA.call(`/api/discussions/${discussion!.id}/retry`, { method: 'POST' })).status).toBe(202)
      await idle()
      expect(await lastJobOf(discussion?.id)).toMatchObject({ status: 'completed' })
      expect(slack.state.posts.length).toBeGreaterThan(0)

      // A Figma comment thread, end to end.
      const comment = figma.state.addComment('AbC123', { message: 'Can we @discubot fix the CTA?' })
      expect((await postFigmaEvent(server.url, figmaFileComment({ passcode: SECRETS.figmaPasscode, fileKey: 'AbC123', commentId: comment.id }))).status).toBe(200)

      // Refused deliveries: a forged Slack signature, a wrong Figma passcode.
      expect((await postSlackEvent(server.url, slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL }), 'not-the-secret')).status).toBe(401)
      expect((await postFigmaEvent(server.url, figmaFileComment({ passcode: 'not-the-passcode' }))).status).toBe(401)
      await idle()

      // "Add to Slack" through to the callback: the client secret, the code and the new bot token travel.
      const install = await ownerA.call('/api/oauth/slack/install')
      expect(install.status).toBe(302)
      const stateCookie = install.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
      const callback = new URL(await slack.approve(install.headers.get('location')!))
      const code = callback.searchParams.get('code')!
      const done = remember(await callApi(server, `${callback.pathname}${callback.search}`, { cookie: `${ownerA.cookie}; ${stateCookie}` }))
      expect(done.headers.get('location')).toBe('/sources?slack=connected&workspace=T0INSTALLED')
      fragmentsOfCodes.push(code)

      // Every route as team A's owner: config checks against refusing services, retries, settings…
      const figmaConfig = await ownerA.call('/api/configs', { method: 'POST', body: { sourceType: 'figma', name: 'Figma with a wrong token', secrets: { figmaToken: SECRETS.configFigmaToken, passcode: SECRETS.configPasscode, notionToken: SECRETS.configNotionToken } } })
      const check = await ownerA.call(`/api/configs/${figmaConfig.body.id}/check`, { method: 'POST' })
      expect(check.body.config.validationMessage).toMatch(/Figma/)
      for (const route of ROUTES.filter(r => !r.pattern.startsWith('/api/webhooks/'))) await call(ACCESS[route.key] === 'public' ? undefined : ownerA, route)
      await ownerA.call('/api/_auth/session')
      const scrape = remember(await callApi(server, '/api/metrics', { headers: { authorization: `Bearer ${SECRETS.metricsToken}` } }))
      expect(scrape.text).toContain('discubot_jobs{status="failed"}')
      await idle()
      for (const route of ROUTES.filter(r => r.method === 'GET')) await call(ownerA, route)

      const fragments = [...Object.entries(SECRETS), ...fragmentsOfCodes.map(code => ['oauthCode', code] as const)].flatMap(([name, value]) => {
        const random = value.replace(/x+$/, '').slice(-24)
        return [[name, random.slice(0, 12)], [name, random.slice(-12)]] as const
      })
      const logs = server.logs()
      expect(logs).toContain('Listening')
      const leaks = fragments.flatMap(([name, fragment]) => [
        ...answers.filter(text => text.includes(fragment)).map(text => `${name} in an answer: ${text.slice(0, 300)}`),
        ...(logs.includes(fragment) ? [`${name} in the server log`] : []),
      ])
      expect(leaks).toEqual([])

      // An alert webhook's signing secret is made by the server and shown once, in the answer that
      // set it (team A's owner and team B's owner each set one above); never again, never logged.
      const webhookSecrets = answers.flatMap(text => [...text.matchAll(/"webhookSecret":"(whsec_[\w-]+)"/g)].map(match => match[1]!))
      expect(webhookSecrets.length).toBeGreaterThanOrEqual(2)
      for (const webhookSecret of webhookSecrets) {
        const fragment = webhookSecret.slice(-16)
        expect(answers.filter(text => text.includes(fragment)), 'answers carrying a webhook secret').toHaveLength(1)
        expect(logs.includes(fragment), 'a webhook secret in the server log').toBe(false)
      }
      console.log(`secrets: ${Object.keys(SECRETS).length} secrets scanned in ${answers.length} answers and ${logs.split('\n').length} log lines`)
    })
  })
})
