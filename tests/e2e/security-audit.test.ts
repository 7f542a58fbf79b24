// The audit's scenarios against the built server and the stand-ins: our own Figma replies never
// trigger (whoever posts them) while the token owner's own comments still do; Slack configs made
// in the admin learn their workspace and get only its deliveries; a tenant team cannot make the
// server send the instance's key elsewhere or reach a local address; a stage that crashes its
// process is failed after the attempt limit and the instance keeps serving.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { countRows, queryDbFile } from '../support/db-file'
import { createTeamWithUser, signIn, signInWhenReady, withServerDb, type AdminClient } from '../support/admin-client'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'
import { startModelStandin, type ModelStandin } from '../standins/model'
import { startNotionStandin, type NotionStandin } from '../standins/notion'
import { figmaFileComment, postFigmaEvent, postSlackEvent, slackAppMention } from '../standins/signing'
import { createDiscubotConfig } from '#layers/discubot/collections/configs/server/database/queries'

const ADMIN = { NUXT_ADMIN_EMAIL: 'owner@discubot.test', NUXT_ADMIN_PASSWORD: 'correct horse battery' }
const SIGNING_SECRET = 'one-app-signing-secret'
const ENV_MODEL_KEY = 'sk-ant-env-INSTANCE-KEY'

let slack: SlackStandin
let figma: FigmaStandin
let model: ModelStandin
let notion: NotionStandin
const servers: ServerHandle[] = []

beforeAll(async () => {
  ;[slack, figma, model, notion] = await Promise.all([
    startSlackStandin(),
    startFigmaStandin(),
    startModelStandin({ apiKey: ENV_MODEL_KEY }),
    startNotionStandin({ token: 'ntn_instance_token' }),
  ])
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.kill()))
})
afterAll(async () => {
  await Promise.all([slack.stop(), figma.stop(), model.stop(), notion.stop()])
})

async function start(env: Record<string, string | undefined> = {}, dbPath?: string) {
  const server = await startServer({
    dbPath,
    env: {
      ...ADMIN,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_FIGMA_API_URL: figma.url,
      NUXT_NOTION_API_URL: notion.url,
      ...env,
    },
  })
  servers.push(server)
  return server
}

async function jobsOf(server: ServerHandle) {
  return queryDbFile(server.dbPath, 'SELECT id, status, error, source_config_id, team_id FROM discubot_jobs ORDER BY created_at')
}

async function allFinished(server: ServerHandle, count: number) {
  return waitFor(async () => {
    const jobs = await jobsOf(server)
    return jobs.length === count && jobs.every(job => job.status === 'completed' || job.status === 'failed') ? jobs : undefined
  }, { message: `${count} finished job(s)` })
}

describe('Figma: our own replies never trigger', () => {
  it('a config made in the admin answers a comment once; Figma\'s echo of the reply makes no job; the token owner\'s next comment does', async () => {
    const server = await start()
    const owner = await signInWhenReady(server, ADMIN.NUXT_ADMIN_EMAIL, ADMIN.NUXT_ADMIN_PASSWORD)
    const passcode = 'admin-made-passcode'
    const created = await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'figma', name: 'Design files', secrets: { figmaToken: figma.state.token, passcode } } })
    expect(created.status).toBe(201)
    // The config learned who its token is (GET /v1/me) as it was saved.
    expect(created.body).toMatchObject({ botUserId: figma.state.me.id })

    // With a personal access token the "bot" is a person: its owner asks, by hand, in a comment.
    const me = { id: figma.state.me.id, handle: figma.state.me.handle }
    const root = figma.state.addComment('LOOP1', { message: '@discubot can you list the icon fixes?', user: me })
    const comment = (c: { id: string, message: string }, parentId?: string) => figmaFileComment({
      passcode, fileKey: 'LOOP1', commentId: c.id, ...(parentId ? { parentId } : {}), comment: [{ text: c.message }], mentions: [], triggeredBy: me,
    })
    expect((await postFigmaEvent(server.url, comment(root))).status).toBe(200)
    await allFinished(server, 1)
    expect(figma.state.posts).toHaveLength(1)
    const reply = figma.state.posts[0]!
    expect(reply.message).toContain('@discubot') // the reply quotes the thread, trigger included

    // Figma delivers our reply as a FILE_COMMENT by the token's account: it must not start a job.
    const echo = await postFigmaEvent(server.url, comment(reply, root.id))
    expect(echo.status).toBe(200)
    expect(await echo.json()).toMatchObject({ status: 'ignored', reason: 'our own reply' })
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(await countRows(server.dbPath, 'discubot_jobs')).toBe(1)
    expect(figma.state.posts).toHaveLength(1)

    // The same person asks again in the thread, by hand: that is a trigger like any other.
    const followUp = figma.state.addComment('LOOP1', { message: '@discubot also track the dark-mode contrast', parentId: root.id, user: me })
    expect((await postFigmaEvent(server.url, comment(followUp, root.id))).status).toBe(200)
    const jobs = await allFinished(server, 2)
    expect(jobs.map(job => job.status)).toEqual(['completed', 'completed'])
    // Our reply in the thread is not read as a person's words: two human messages, not three.
    const [discussion] = await queryDbFile(server.dbPath, 'SELECT ai_summary FROM discubot_discussions')
    expect(String(discussion!.ai_summary)).toContain('2 messages')
  })
})

describe('Slack: configs made in the admin learn their workspace', () => {
  it('two workspaces of one Slack app each get their own deliveries, never the oldest config\'s', async () => {
    const second = slack.state.addWorkspace({ teamId: 'T0SECOND', teamName: 'Second workspace' })
    const server = await start()
    const owner = await signInWhenReady(server, ADMIN.NUXT_ADMIN_EMAIL, ADMIN.NUXT_ADMIN_PASSWORD)
    const first = await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'slack', name: 'First', secrets: { signingSecret: SIGNING_SECRET, botToken: slack.state.token } } })
    const other = await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'slack', name: 'Second', secrets: { signingSecret: SIGNING_SECRET, botToken: second.token } } })
    expect(first.body).toMatchObject({ slackWorkspaceId: slack.state.teamId, botUserId: slack.state.botUserId })
    expect(other.body).toMatchObject({ slackWorkspaceId: 'T0SECOND', botUserId: second.botUserId })

    for (const [workspace, channel] of [[second, 'C0SECOND'], [slack.state.workspaces[0]!, 'C0FIRST']] as const) {
      const { rootTs } = slack.state.seedThread(channel, { messages: 2, text: i => ['<@U0X> can you update the changelog?', 'yes please'][i]! })
      const body = slackAppMention({ teamId: workspace.teamId, channel, threadTs: rootTs, botUserId: workspace.botUserId })
      expect((await postSlackEvent(server.url, body, SIGNING_SECRET)).status).toBe(200)
    }
    const jobs = await allFinished(server, 2)
    expect(jobs.map(job => job.source_config_id)).toEqual([other.body.id, first.body.id])
    // Each workspace's thread was answered with that workspace's bot token.
    expect(slack.state.posts.map(post => [post.channel, post.teamId])).toEqual([['C0SECOND', 'T0SECOND'], ['C0FIRST', slack.state.teamId]])
  })
})

describe('a tenant team cannot borrow the instance\'s credentials or reach local addresses', () => {
  it('refuses private endpoints and bad Notion ids at save time, and never sends the instance key or Notion token for it', async () => {
    const tenantWorkspace = slack.state.addWorkspace({ teamId: 'T0TENANT' })
    const server = await start({
      NUXT_ANTHROPIC_API_KEY: ENV_MODEL_KEY,
      NUXT_ANTHROPIC_BASE_URL: model.url,
      NUXT_NOTION_TOKEN: 'ntn_instance_token',
      NUXT_NOTION_DATABASE_ID: notion.state.addDatabase().id,
    })
    await signInWhenReady(server, ADMIN.NUXT_ADMIN_EMAIL, ADMIN.NUXT_ADMIN_PASSWORD)
    const { team } = await withServerDb(server, () => createTeamWithUser('tenant', { email: 'tenant@evil.test', password: 'tenant password 1', role: 'owner' }))
    const tenant: AdminClient = await signIn(server, 'tenant@evil.test', 'tenant password 1')

    const base = { sourceType: 'slack', name: 'Tenant Slack', secrets: { signingSecret: SIGNING_SECRET, botToken: tenantWorkspace.token } }
    for (const aiBaseUrl of [`http://127.0.0.1:${new URL(model.url).port}`, 'http://169.254.169.254/latest/meta-data', 'http://[::1]:80', 'http://localhost:9']) {
      const refused = await tenant.call('/api/configs', { method: 'POST', body: { ...base, aiProvider: 'anthropic', aiBaseUrl } })
      expect(refused.status, aiBaseUrl).toBe(400)
      expect(refused.body.message).toMatch(/private or local address/)
    }
    const badNotion = await tenant.call('/api/configs', { method: 'POST', body: { ...base, notionDatabaseId: '../../v1/users' } })
    expect(badNotion.status).toBe(400)
    expect(await countRows(server.dbPath, 'discubot_configs', 'team_id = ?', [team.id])).toBe(0)

    // A tenant config that asks for Anthropic without a key of its own (and, as if saved before the
    // check or via DNS rebinding, a loopback endpoint): the instance key is never sent, the local
    // address is never called, the instance's Notion target is not theirs.
    const created = await tenant.call('/api/configs', { method: 'POST', body: { ...base, aiProvider: 'anthropic' } })
    expect(created.status).toBe(201)
    const tenant2 = slack.state.addWorkspace({ teamId: 'T0TENANT2' })
    const keyed = await withServerDb(server, () => createDiscubotConfig({
      teamId: team.id, sourceType: 'slack', name: 'Tenant keyed', aiProvider: 'anthropic', aiBaseUrl: model.url,
      slackWorkspaceId: tenant2.teamId, secrets: { signingSecret: SIGNING_SECRET, botToken: tenant2.token, aiApiKey: 'sk-ant-tenant-own' },
    }))

    const modelCallsBefore = model.requests.length
    const notionCallsBefore = notion.requests.length
    for (const [workspace, channel] of [[tenantWorkspace, 'C0TENANT'], [tenant2, 'C0TENANT2']] as const) {
      const { rootTs } = slack.state.seedThread(channel, { messages: 2, text: i => ['can you rotate the API keys?', 'yes'][i]! })
      expect((await postSlackEvent(server.url, slackAppMention({ teamId: workspace.teamId, channel, threadTs: rootTs, botUserId: workspace.botUserId }), SIGNING_SECRET)).status).toBe(200)
    }
    const jobs = await allFinished(server, 2)
    expect(model.requests.length - modelCallsBefore).toBe(0)
    expect(notion.requests.length - notionCallsBefore).toBe(0)
    // Without a key of its own the tenant gets the offline analyzer and the local task list…
    const stages = await queryDbFile(server.dbPath, `SELECT j.source_config_id AS config, s.output FROM discubot_job_stages s JOIN discubot_jobs j ON j.id = s.job_id WHERE s.stage IN ('ai_analysis', 'task_creation') AND s.status = 'completed'`)
    const outputs = stages.filter(row => row.config === created.body.id).map(row => JSON.parse(String(row.output)))
    expect(outputs).toEqual(expect.arrayContaining([expect.objectContaining({ analyzer: 'offline' }), expect.objectContaining({ sink: 'local' })]))
    // …and its own key pointed at a local address fails the job with the reason, without a call.
    const failed = jobs.find(job => job.source_config_id === keyed.id)!
    expect(failed.status).toBe('failed')
    expect(String(failed.error)).toMatch(/was not called: .*private or local address/)
  })
})

describe('a stage that crashes its process (poison job)', () => {
  it('is failed after the attempt limit, and the instance keeps serving', async () => {
    const env = {
      NUXT_SLACK_SIGNING_SECRET: SIGNING_SECRET,
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_STAGE_MAX_ATTEMPTS: '2',
      NUXT_LEASE_MS: '1500',
      DISCUBOT_TEST_HOLDS: '1',
    }
    let server = await start(env)
    await waitFor(async () => (await queryDbFile(server.dbPath, 'SELECT slack_workspace_id FROM discubot_configs'))[0]?.slack_workspace_id, { message: 'the env config to learn its workspace' })
    const { rootTs } = slack.state.seedThread('C0POISON', { messages: 2 })
    const body = slackAppMention({ teamId: slack.state.teamId, channel: 'C0POISON', threadTs: rootTs, botUserId: slack.state.botUserId, text: `<@${slack.state.botUserId}> summarize [crash:thread_building:start]` })
    expect((await postSlackEvent(server.url, body, SIGNING_SECRET)).status).toBe(200)

    let crashes = 0
    for (;;) {
      const exited = await waitFor(() => server.child.exitCode !== null || server.child.signalCode !== null ? 'exited' : undefined, { timeoutMs: 8000, message: 'a crash' }).catch(() => 'alive')
      if (exited === 'alive') break
      crashes++
      expect(crashes).toBeLessThanOrEqual(2)
      server = await start(env, server.dbPath)
    }
    const [job] = await jobsOf(server)
    expect(crashes).toBe(2)
    expect(job).toMatchObject({ status: 'failed' })
    expect(String(job!.error)).toMatch(/started 2 times and never finished/)
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })
})
