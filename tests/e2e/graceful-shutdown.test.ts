// SIGTERM: the instance stops claiming, lets the running stage finish, hands the job back to the
// queue at the next stage boundary, and exits; the next start finishes the job, replying once.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { closeDb, openServerDb } from '../support/db-file'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { slowAnswer } from '../standins/http-standin'
import { postSlackEvent, slackAppMention } from '../standins/signing'
import { discubotJobs, discubotJobStages } from '#layers/discubot/collections/jobs/server/database/schema'

const SECRET = 'shutdown-signing-secret'
let slack: SlackStandin
let server: ServerHandle | undefined

beforeAll(async () => {
  slack = await startSlackStandin()
  slack.state.addChannel('C0TERM')
})

afterAll(async () => {
  closeDb()
  await server?.kill()
  await slack.stop()
})

const env = () => ({
  NUXT_SLACK_SIGNING_SECRET: SECRET,
  NUXT_SLACK_BOT_TOKEN: slack.state.token,
  NUXT_SLACK_API_URL: `${slack.url}/api/`,
  NUXT_WORKER_CONCURRENCY: '1',
})

it('finishes the running stage, hands the job back and exits; the restart completes it', async () => {
  server = await startServer({ env: env() })
  const { rootTs } = slack.state.seedThread('C0TERM', { messages: 4, text: i => ['Can you fix the footer links?', 'We need to update the docs.'][i % 2]! })
  slack.faults.push(slowAnswer('conversations.replies', 1500))
  const body = slackAppMention({ teamId: slack.state.teamId, channel: 'C0TERM', threadTs: rootTs, botUserId: slack.state.botUserId })
  expect((await postSlackEvent(server.url, body, SECRET)).status).toBe(200)

  const db = openServerDb(server.dbPath)
  const job = await waitFor(async () => {
    const [row] = await db.select().from(discubotJobs)
    return row?.stage === 'thread_building' && row.status === 'processing' ? row : undefined
  }, { message: 'the job to be fetching its thread' })

  await server.stop()
  expect(server.child.exitCode ?? server.child.signalCode).not.toBeNull()
  expect(server.logs()).toMatch(/stopping: no new claims/)
  expect(server.logs()).toMatch(/\bstopped\b/)
  const [handedBack] = await db.select().from(discubotJobs).where(eq(discubotJobs.id, job.id))
  expect(handedBack).toMatchObject({ status: 'pending', stage: 'ai_analysis', lockedBy: null, leaseToken: null })
  const stages = await db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, job.id))
  expect(stages.find(row => row.stage === 'thread_building')).toMatchObject({ status: 'completed', attempts: 1 })

  server = await startServer({ dbPath: server.dbPath, env: env() })
  await waitFor(async () => {
    const [row] = await db.select().from(discubotJobs).where(eq(discubotJobs.id, job.id))
    return row?.status === 'completed'
  }, { message: 'the job to complete after the restart' })
  expect(slack.state.posts.filter(post => post.thread_ts === rootTs)).toHaveLength(1)
  expect(slack.calls('conversations.replies').filter(call => call.args.ts === rootTs && !call.args.include_all_metadata)).toHaveLength(1)
})
