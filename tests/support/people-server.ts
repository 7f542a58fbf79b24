// The built server with its Slack config and Notion target from env, against fresh Slack and
// Notion stand-ins, its owner signed in. `discussThread` mentions the bot in a new thread and
// waits for the job to finish. For the People and teammates tests.
import { expect } from 'vitest'
import { startServer, waitFor, type ServerHandle } from './server'
import { queryDbFile } from './db-file'
import { signInWhenReady, type AdminClient } from './admin-client'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { startNotionStandin, type NotionStandin } from '../standins/notion'
import { postSlackEvent, slackAppMention } from '../standins/signing'

export const PEOPLE_OWNER = { email: 'owner@acme.test', password: 'owner-password-1' }
const SECRET = 'people-signing-secret'

export interface PeopleServer {
  server: ServerHandle
  slack: SlackStandin
  notion: NotionStandin
  owner: AdminClient
  /** The Notion database tasks go to. */
  databaseId: string
  discussThread(channel: string, messages: { user: string, text: string }[]): Promise<{ id: unknown, status: unknown, error: unknown, discussion_id: unknown }>
  stop(): Promise<void>
}

export async function startPeopleServer(): Promise<PeopleServer> {
  const [slack, notion] = await Promise.all([startSlackStandin(), startNotionStandin()])
  const databaseId = notion.state.addDatabase({ title: 'Tasks' }).id
  const server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: PEOPLE_OWNER.email,
      NUXT_ADMIN_PASSWORD: PEOPLE_OWNER.password,
      NUXT_SLACK_SIGNING_SECRET: SECRET,
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_NOTION_TOKEN: notion.state.token,
      NUXT_NOTION_DATABASE_ID: databaseId,
      NUXT_NOTION_API_URL: notion.url,
    },
  })
  const owner = await signInWhenReady(server, PEOPLE_OWNER.email, PEOPLE_OWNER.password)
  await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT id FROM discubot_configs WHERE from_env = 1 AND validation_state = 'ok'`)).length > 0, { message: 'the env Slack config' })

  async function discussThread(channel: string, messages: { user: string, text: string }[]) {
    slack.state.addChannel(channel)
    const { rootTs } = slack.state.seedThread(channel, { messages: messages.length, users: messages.map(m => m.user), text: i => messages[i]!.text })
    const mention = slackAppMention({ teamId: slack.state.teamId, channel, ts: rootTs, user: messages[0]!.user, botUserId: slack.state.botUserId, text: messages[0]!.text })
    expect((await postSlackEvent(server.url, mention, SECRET)).status).toBe(200)
    return waitFor(async () => {
      const [job] = await queryDbFile(server.dbPath, `SELECT id, status, error, discussion_id FROM discubot_jobs WHERE json_extract(payload, '$.thread.threadTs') = ?`, [rootTs])
      return job && (job.status === 'completed' || job.status === 'failed') ? job : undefined
    }, { timeoutMs: 60_000, message: `the job of thread ${rootTs}` })
  }

  return {
    server,
    slack,
    notion,
    owner,
    databaseId,
    discussThread,
    async stop() {
      await server.stop()
      await Promise.all([slack.stop(), notion.stop()])
    },
  }
}
