// The person who mentioned the bot sees that it heard them and how it ended, and the team hears
// about failures without opening the admin: the built server against the Slack, Figma and Notion
// stand-ins, with a 12-second alert window instead of five minutes.
//   completed job → 👀 then ✅ on the mentioning message, one reply
//   Notion 400 → ❌, one failure note linking the job, one alert in the channel; a retry → ✅, the note marked fixed
//   20 jobs failing together → one alert saying 20
//   the reactions API failing → the job completes anyway, and its page says why there is no reaction
//   Figma: the same reactions on a root comment, skipped silently on a reply
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { signInWhenReady, type AdminClient } from '../support/admin-client'
import { startSourcesServer, type SourcesServer } from '../support/sources-server'
import { slackPlatformError, type SlackStandin } from '../standins/slack'
import type { FigmaStandin } from '../standins/figma'
import { slowAnswer } from '../standins/http-standin'
import { notionFault, ROUTES, startNotionStandin, type NotionStandin } from '../standins/notion'
import { figmaFileComment, postFigmaEvent, postSlackEvent, slackAppMention } from '../standins/signing'

const ADMIN = { email: 'feedback-admin@example.com', password: 'feedback-admin-password' }
const CHANNEL = 'C0FEEDBACK'
const ALERTS = 'C0ALERTS'
const WINDOW_MS = 12_000
const THREAD = ['Can you fix the checkout CTA on mobile?', 'We need to update the pricing page copy.', 'Agreed.']

let sources: SourcesServer
let slack: SlackStandin
let figma: FigmaStandin
let notion: NotionStandin
let server: ServerHandle
let admin: AdminClient

beforeAll(async () => {
  notion = await startNotionStandin()
  const database = notion.state.addDatabase({ title: 'Tasks' })
  sources = await startSourcesServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_NOTION_TOKEN: notion.state.token,
      NUXT_NOTION_DATABASE_ID: database.id,
      NUXT_NOTION_API_URL: notion.url,
      NUXT_ALERT_WINDOW_MS: String(WINDOW_MS),
    },
  })
  ;({ slack, figma, server } = sources)
  slack.state.addChannel(CHANNEL)
  slack.state.addChannel(ALERTS, 'discubot-alerts')
  admin = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  expect((await admin.call('/api/team/alerts', { method: 'PUT', body: { slackChannelId: ALERTS } })).status).toBe(200)
})

afterAll(async () => {
  await sources?.stop()
  await notion?.stop()
})

interface JobRow {
  id: string
  status: string
  discussion_id: string
}

/** A new thread in CHANNEL whose root message mentions the bot; the mentioning message's ts. */
async function mention(text = `<@U0DISCUBOT> please turn this into tasks`): Promise<string> {
  const { rootTs } = slack.state.seedThread(CHANNEL, { messages: THREAD.length + 1, text: i => i === 0 ? text : THREAD[i - 1]! })
  const response = await postSlackEvent(server.url, slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId, text }), sources.signingSecret)
  expect(response.status).toBe(200)
  return rootTs
}

async function jobsOf(rootTs: string): Promise<JobRow[]> {
  return await queryDbFile(server.dbPath, `SELECT id, status, discussion_id FROM discubot_jobs WHERE json_extract(payload, '$.thread.messageTs') = ? ORDER BY created_at`, [rootTs]) as unknown as JobRow[]
}

async function finished(rootTs: string, count = 1): Promise<JobRow[]> {
  return waitFor(async () => {
    const jobs = await jobsOf(rootTs)
    return jobs.length === count && jobs.every(job => job.status === 'completed' || job.status === 'failed') ? jobs : undefined
  }, { timeoutMs: 60_000, message: `the job(s) of ${rootTs} to finish` })
}

const reactions = (ts: string) => slack.state.reactionsOn(CHANNEL, ts)
const waitForReactions = (ts: string, wanted: string[]) => waitFor(() => JSON.stringify(reactions(ts)) === JSON.stringify(wanted), { message: `reactions ${wanted.join(', ')} on ${ts}` })
const threadPosts = (rootTs: string) => slack.state.posts.filter(post => post.thread_ts === rootTs)
const notesIn = (rootTs: string) => threadPosts(rootTs).filter(post => String(post.metadata?.event_payload?.marker ?? '').startsWith('discubot-failure:'))
const alertPosts = () => slack.state.posts.filter(post => post.channel === ALERTS)

/** The outbox row of a kind for a job chain (as the job detail shows it). */
async function feedbackOf(jobId: string) {
  const answer = await admin.call(`/api/jobs/${jobId}`)
  expect(answer.status).toBe(200)
  return answer.body.feedback as { kind: string, status: string, state: string, lastError: string | null, reactions: Record<string, string>, noteId: string | null }[]
}

describe('reactions and the failure note in the thread', () => {
  it('a completed job: 👀 while it works, then ✅ instead, and one reply', async () => {
    // The thread read takes a while, so the job is still working when 👀 lands.
    slack.faults.push(slowAnswer('conversations.replies', 1500))
    const rootTs = await mention()
    await waitForReactions(rootTs, ['eyes'])
    const [job] = await finished(rootTs)
    expect(job!.status).toBe('completed')
    await waitForReactions(rootTs, ['white_check_mark'])

    const added = slack.calls('reactions.add').filter(call => call.args.timestamp === rootTs).map(call => call.args.name)
    expect(added).toEqual(['eyes', 'white_check_mark'])
    expect(slack.calls('reactions.remove').filter(call => call.args.timestamp === rootTs && call.args.name === 'eyes')).toHaveLength(1)
    expect(threadPosts(rootTs)).toHaveLength(1)
    expect(notesIn(rootTs)).toHaveLength(0)
    const feedback = await waitFor(async () => {
      const items = await feedbackOf(job!.id)
      return items[0]?.status === 'delivered' ? items : undefined
    }, { message: 'the reactions to be recorded' })
    expect(feedback).toEqual([expect.objectContaining({ kind: 'reactions', status: 'delivered', state: 'completed', reactions: { white_check_mark: 'added', eyes: 'removed', x: 'removed' } })])
  })

  it('a job failing on a Notion 400: ❌, one failure note with the job\'s link, one alert; a retry then replaces ❌ with ✅ and marks the note fixed', async () => {
    notion.faults.push(notionFault(ROUTES.createPage, 400, 'validation_error', 'Priority is expected to be select.'))
    const rootTs = await mention()
    const [failed] = await finished(rootTs)
    expect(failed!.status).toBe('failed')
    await waitForReactions(rootTs, ['x'])
    const note = await waitFor(() => notesIn(rootTs)[0], { message: 'the failure note' })
    expect(note.text).toContain('I couldn\'t create the Notion tasks: Notion refused the page')
    expect(note.text).toContain(`<${server.url}/jobs/${failed!.id}|Open the job in Discubot>`)
    expect(threadPosts(rootTs)).toHaveLength(1)

    // The team hears once, when the window closes.
    const [alert] = await waitFor(() => alertPosts().length ? alertPosts() : undefined, { timeoutMs: WINDOW_MS + 20_000, message: 'the failed-jobs alert' })
    expect(alert!.text).toContain('*1 job failed between')
    expect(alert!.text).toContain('task_creation failed: Notion rejected the page (400 validation_error)')
    expect(alert!.text).toContain(`${server.url}/jobs?status=failed&from=`)
    const feedback = await feedbackOf(failed!.id)
    expect(feedback.map(item => [item.kind, item.status, item.state])).toEqual([['reactions', 'delivered', 'failed'], ['failure_note', 'delivered', 'failed']])
    expect(feedback[1]!.noteId).toBe(note.ts)

    // A retry that works: the usual reply, ✅ instead of ❌, and the note says it was fixed.
    const retried = await admin.call(`/api/discussions/${failed!.discussion_id}/retry`, { method: 'POST' })
    expect(retried.status).toBe(202)
    const [, retry] = await finished(rootTs, 2)
    expect(retry!.status).toBe('completed')
    await waitForReactions(rootTs, ['white_check_mark'])
    const fixed = await waitFor(() => slack.state.updates.find(update => update.ts === note.ts), { message: 'the note marked fixed' })
    expect(fixed.text).toContain(':white_check_mark: Fixed: a retry went through')
    expect(fixed.text).toContain(`${server.url}/jobs/${retry!.id}`)
    expect(threadPosts(rootTs)).toHaveLength(2)
    expect(notesIn(rootTs)).toHaveLength(1)
    expect(alertPosts()).toHaveLength(1)
  })

  it('20 jobs failing within a minute make one alert saying 20, not 20 alerts', async () => {
    const before = alertPosts().length
    // Slack loses the threads: the jobs fail at once (Notion's 3 requests a second would spread 20 failures over longer than the window).
    slack.faults.push(slackPlatformError('conversations.replies', 'thread_not_found', 20))
    const threads: string[] = []
    for (let i = 0; i < 20; i++) threads.push(await mention())
    for (const rootTs of threads) expect((await finished(rootTs))[0]!.status).toBe('failed')
    const posts = await waitFor(() => alertPosts().length > before ? alertPosts() : undefined, { timeoutMs: WINDOW_MS + 20_000, message: 'the grouped alert' })
    expect(posts.slice(before)).toHaveLength(1)
    expect(posts.at(-1)!.text).toContain('*20 jobs failed between')
    expect(posts.at(-1)!.text).toContain('• 20× thread_building failed: Slack conversations.replies failed: thread_not_found')
    const windows = await queryDbFile(server.dbPath, `SELECT status FROM discubot_outbox WHERE kind = 'alert' AND dedupe_key LIKE 'failed-jobs:%'`)
    expect(windows.map(row => row.status)).toEqual(['delivered', 'delivered'])
    // The threads are gone, so no note was tried there; each job's page says why.
    expect(threads.flatMap(notesIn)).toEqual([])
    const [first] = await jobsOf(threads[0]!)
    expect((await feedbackOf(first!.id)).find(item => item.kind === 'failure_note')).toMatchObject({ status: 'skipped', lastError: expect.stringContaining('thread_not_found') })
  })

  it('the reactions API failing never stops the job; the job\'s page says why there is no reaction', async () => {
    slack.faults.push(slackPlatformError('reactions.add', 'missing_scope', 10), slackPlatformError('reactions.remove', 'missing_scope', 10))
    const rootTs = await mention()
    const [job] = await finished(rootTs)
    expect(job!.status).toBe('completed')
    expect(threadPosts(rootTs)).toHaveLength(1)
    const [reactionsRow] = await waitFor(async () => {
      const items = await feedbackOf(job!.id)
      return items[0]?.state === 'completed' && items[0].status === 'failed' ? items : undefined
    }, { message: 'the reactions row to fail' })
    expect(reactionsRow!.lastError).toContain('white_check_mark: Slack reactions.add failed: missing_scope')
    expect(reactions(rootTs)).toEqual([])
    slack.faults.clear()
  })
})

describe('Figma comment reactions', () => {
  async function figmaMention(fileKey: string, commentId: string, parentId?: string) {
    const response = await postFigmaEvent(server.url, figmaFileComment({ passcode: sources.passcode, fileKey, commentId, ...(parentId ? { parentId } : {}) }))
    expect(await response.json()).toMatchObject({ status: 'accepted' })
  }

  async function figmaJob(threadId: string) {
    return waitFor(async () => {
      const [row] = await queryDbFile(server.dbPath, `SELECT id, status FROM discubot_jobs WHERE json_extract(payload, '$.sourceThreadId') = ?`, [threadId])
      return row && row.status !== 'pending' && row.status !== 'processing' ? row as unknown as { id: string, status: string } : undefined
    }, { timeoutMs: 60_000, message: `the Figma job of ${threadId}` })
  }

  it('a mention in a root comment gets 👀 then ✅; one in a reply, where Figma allows none, is skipped silently', async () => {
    const fileKey = 'FEEDBACKFIG'
    figma.state.addFile(fileKey, 'Checkout')
    const root = figma.state.addComment(fileKey, { message: '@discubot Can you fix the checkout CTA on mobile?' })
    figma.faults.push(slowAnswer('GET /v1/files/:key/comments', 1500))
    await figmaMention(fileKey, root.id)
    await waitFor(() => figma.state.reactionsOn(fileKey, root.id).join() === ':eyes:', { message: '👀 on the root comment' })
    const job = await figmaJob(`${fileKey}:${root.id}`)
    expect(job.status).toBe('completed')
    await waitFor(() => figma.state.reactionsOn(fileKey, root.id).join() === ':white_check_mark:', { message: '✅ on the root comment' })
    const added = figma.requests.filter(r => r.route === 'POST /v1/files/:key/comments/:id/reactions' && r.path.includes(`/comments/${root.id}/`)).map(r => r.args.emoji)
    expect(added).toEqual([':eyes:', ':white_check_mark:'])

    const other = figma.state.addComment(fileKey, { message: 'The footer links are broken too.' })
    const reply = figma.state.addComment(fileKey, { message: '@discubot we need to fix the footer links', parentId: other.id })
    await figmaMention(fileKey, reply.id, other.id)
    const replyJob = await figmaJob(`${fileKey}:${other.id}`)
    expect(replyJob.status).toBe('completed')
    const [row] = await waitFor(async () => {
      const items = await feedbackOf(replyJob.id)
      return items[0]?.status === 'skipped' ? items : undefined
    }, { message: 'the reply\'s reactions to be skipped' })
    expect(row).toMatchObject({ kind: 'reactions', status: 'skipped', lastError: 'Figma does not allow reactions on this message' })
    expect(figma.state.reactionsOn(fileKey, reply.id)).toEqual([])
  })
})
