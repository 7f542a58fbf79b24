// kill -9 the built server right after Slack took the failure note and before the outbox recorded
// it, restart, and check the promise: still exactly one note in the thread. The restarted
// instance looks the note up by its marker before posting (the test-build hold
// `[hold:failure_note:after-post]` in the mention stops the outbox there).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { notionFault, ROUTES, startNotionStandin, type NotionStandin } from '../standins/notion'
import { postSlackEvent, slackAppMention } from '../standins/signing'

const SECRET = 'note-crash-signing-secret'
const CHANNEL = 'C0NOTECRASH'

let slack: SlackStandin
let notion: NotionStandin
let server: ServerHandle | undefined

beforeAll(async () => {
  [slack, notion] = await Promise.all([startSlackStandin(), startNotionStandin()])
  slack.state.addChannel(CHANNEL)
})

afterAll(async () => {
  await server?.kill()
  await Promise.all([slack?.stop(), notion?.stop()])
})

function env(databaseId: string, holds: boolean): Record<string, string | undefined> {
  return {
    NUXT_SLACK_SIGNING_SECRET: SECRET,
    NUXT_SLACK_BOT_TOKEN: slack.state.token,
    NUXT_SLACK_API_URL: `${slack.url}/api/`,
    NUXT_NOTION_TOKEN: notion.state.token,
    NUXT_NOTION_DATABASE_ID: databaseId,
    NUXT_NOTION_API_URL: notion.url,
    DISCUBOT_TEST_HOLDS: holds ? '1' : undefined,
  }
}

const notes = (rootTs: string) => slack.state.posts.filter(post => post.thread_ts === rootTs && String(post.metadata?.event_payload?.marker ?? '').startsWith('discubot-failure:'))

it('a kill -9 between the note\'s post and its record still leaves one note', async () => {
  const database = notion.state.addDatabase()
  server = await startServer({ env: env(database.id, true) })
  notion.faults.push(notionFault(ROUTES.createPage, 400, 'validation_error', 'Priority is expected to be select.'))
  const text = `<@${slack.state.botUserId}> [hold:failure_note:after-post] please turn this into tasks`
  const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 3, text: i => [text, 'Can you fix the checkout CTA on mobile?', 'Agreed.'][i]! })
  const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId, text })
  expect((await postSlackEvent(server.url, mention, SECRET)).status).toBe(200)

  await server.waitForLog(/\[test-hold\] reached failure_note:after-post\b/)
  expect(notes(rootTs)).toHaveLength(1)
  const [before] = await queryDbFile(server.dbPath, `SELECT status, locked_by FROM discubot_outbox WHERE kind = 'failure_note'`)
  expect(before).toMatchObject({ status: 'pending', locked_by: expect.any(String) })
  await server.kill('SIGKILL')

  const lookupsBefore = slack.calls('conversations.replies').filter(call => call.args.include_all_metadata).length
  server = await startServer({ dbPath: server.dbPath, port: server.port, env: env(database.id, false) })
  const [after] = await waitFor(async () => {
    const rows = await queryDbFile(server!.dbPath, `SELECT status, attempts, result FROM discubot_outbox WHERE kind = 'failure_note'`)
    return rows[0]?.status === 'delivered' ? rows : undefined
  }, { timeoutMs: 30_000, message: 'the note to be recorded after the restart' })

  expect(notes(rootTs)).toHaveLength(1)
  expect(after).toMatchObject({ attempts: 2 })
  expect(JSON.parse(String(after!.result))).toMatchObject({ noteId: notes(rootTs)[0]!.ts })
  // The restarted instance looked the note up by its marker instead of posting again.
  expect(slack.calls('conversations.replies').filter(call => call.args.include_all_metadata).length).toBeGreaterThan(lookupsBefore)
  expect(slack.state.posts.filter(post => post.thread_ts === rootTs)).toHaveLength(1)
})
