// The operator's pages in a real browser against the built server and the Slack stand-in: a job's
// stage progress changing live while Slack answers slowly page after page, the Deliveries page
// explaining an ignored mention and a forged request, discarding a failed job, and the cleanup
// schedule shown at its wall-clock time. Screenshots: job-live-progress, job-progress-done,
// deliveries, deliveries-ignored, job-discarded, jobs-discarded, schedules-clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { signInWhenReady } from '../support/admin-client'
import { launchChromium, newAdminContext, screenshot, signInThroughForm } from '../support/browser'
import { slowAnswer } from '../standins/http-standin'
import { startSlackStandin, slackPlatformError, type SlackStandin } from '../standins/slack'
import { postSlackEvent, slackAppMention } from '../standins/signing'

const ADMIN = { email: 'operator@example.com', password: 'browser-operator-password' }
const SECRET = 'operations-browser-signing-secret'
const CHANNEL = 'C0LIVE'

let slack: SlackStandin
let server: ServerHandle
let browser: Browser
let page: Page

async function mention(messages: number, event: Record<string, unknown> = {}) {
  const { rootTs } = slack.state.seedThread(CHANNEL, { messages, text: i => i === 0 ? `<@${slack.state.botUserId}> launch plan` : `Can you handle step ${i}? We need to ship it.` })
  const body = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId, event })
  expect((await postSlackEvent(server.url, body, SECRET)).status).toBe(200)
  return rootTs
}

const jobOf = (rootTs: string, statuses: string[]) => waitFor(async () => {
  const [row] = await queryDbFile(server.dbPath, `SELECT id, status FROM discubot_jobs WHERE json_extract(payload, '$.thread.threadTs') = ?`, [rootTs])
  return row && statuses.includes(String(row.status)) ? String(row.id) : undefined
}, { timeoutMs: 60_000, message: `a ${statuses.join('/')} job for ${rootTs}` })

const toast = (title: string) => page.locator('[data-slot="title"]', { hasText: title })

beforeAll(async () => {
  slack = await startSlackStandin({ pageSize: 2 })
  slack.state.addChannel(CHANNEL)
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_SLACK_SIGNING_SECRET: SECRET,
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_CLEANUP_AT: '03:00',
      NUXT_TIMEZONE: 'Europe/Berlin',
    },
  })
  await signInWhenReady(server, ADMIN.email, ADMIN.password)
  await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT id FROM discubot_configs WHERE from_env = 1 AND validation_state = 'ok'`)).length > 0, { message: 'the env Slack config' })
  browser = await launchChromium()
  page = await (await newAdminContext(browser, server.url)).newPage()
  await page.goto('/login')
  await signInThroughForm(page, ADMIN.email, ADMIN.password)
  await page.waitForURL(url => !url.pathname.startsWith('/login'))
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await slack?.stop()
})

describe('operations in the browser', () => {
  it('shows a stage\'s progress and messages as they change, without a reload', async () => {
    // Ten messages in five pages; every page after the first answers slowly, so the stage runs for seconds.
    slack.faults.push({ ...slowAnswer('conversations.replies', 1500), times: 4, after: 1 })
    const rootTs = await mention(10)
    const jobId = await jobOf(rootTs, ['processing', 'completed'])
    await page.goto(`/jobs/${jobId}`)
    const threadStage = page.locator('[data-stage="thread_building"]')
    await threadStage.getByTestId('stage-messages').filter({ hasText: 'fetched page 2 of the thread' }).waitFor()
    expect(await threadStage.getAttribute('data-stage-status')).toBe('running')
    await screenshot(page, 'job-live-progress')

    // The same page, still not reloaded, follows the job to its end.
    await page.getByTestId('job-status').filter({ hasText: 'Completed' }).waitFor({ timeout: 60_000 })
    await threadStage.getByTestId('stage-messages').filter({ hasText: 'thread fetched: 10 messages' }).waitFor()
    await page.locator('[data-stage="task_creation"]').getByTestId('stage-messages').filter({ hasText: /task \d+ of \d+ created/ }).waitFor()
    await screenshot(page, 'job-progress-done')
  })

  it('explains on the Deliveries page what became of each delivery', async () => {
    await mention(2, { bot_id: 'B0OTHERBOT' })
    expect((await postSlackEvent(server.url, slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL }), 'a-forged-secret')).status).toBe(401)
    await page.goto('/deliveries')
    const table = page.getByTestId('deliveries-table')
    await table.getByText('message from a bot').waitFor()
    await table.getByText('Slack signature does not match any active Slack config').waitFor()
    await table.locator('[data-status="accepted"]').first().waitFor()
    await screenshot(page, 'deliveries')

    await page.goto('/deliveries?outcome=ignored')
    await table.getByText('message from a bot').waitFor()
    expect(await table.locator('[data-status="rejected"]').count()).toBe(0)
    await screenshot(page, 'deliveries-ignored')
  })

  it('discards failed jobs, one from its page and the rest in bulk: they move from Failed to Discarded', async () => {
    slack.faults.push(slackPlatformError('conversations.replies', 'channel_not_found', 3))
    const jobIds = [await jobOf(await mention(2), ['failed']), await jobOf(await mention(2), ['failed']), await jobOf(await mention(2), ['failed'])]
    await page.goto(`/jobs/${jobIds[0]}`)
    await page.getByTestId('discard-job').click()
    await toast('Job discarded').waitFor()
    await page.getByTestId('discard-job').waitFor({ state: 'detached' })
    await screenshot(page, 'job-discarded')

    await page.goto('/jobs?status=failed')
    for (const id of jobIds.slice(1)) await page.locator(`a[href="/jobs/${id}"]`).first().waitFor()
    expect(await page.locator(`a[href="/jobs/${jobIds[0]}"]`).count()).toBe(0)
    await page.getByLabel('Select every retryable row on this page').click()
    await page.getByTestId('discard-selected').click()
    await toast('2 jobs discarded').waitFor()
    await page.getByText('No failed jobs').waitFor()

    await page.goto('/jobs?discarded=true')
    for (const id of jobIds) await page.locator(`a[href="/jobs/${id}"]`).first().waitFor()
    await screenshot(page, 'jobs-discarded')
  })

  it('shows the cleanup at its time of day and its next run in the viewer\'s time', async () => {
    await page.goto('/schedules')
    const timers = page.getByTestId('timers-table')
    await timers.getByText('Daily at 03:00 (Europe/Berlin)').waitFor()
    await timers.getByTestId('timer-next-run').first().waitFor()
    await screenshot(page, 'schedules-clock')
  })
})
