// The admin in a real browser (Debian chromium via playwright-core) against the built server, its
// engine and the Slack stand-in: sign-in, the Failed view, a retry watched to completion without a
// reload, bulk retry, URL-kept filters and paging, team isolation, and a screenshot of every page.
// Failures are real ones: Slack refuses a thread (a queued fault), the engine fails the job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { createTeamWithUser, signInWhenReady, withServerDb } from '../support/admin-client'
import { launchChromium, newAdminContext, screenshot, signInThroughForm } from '../support/browser'
import { startSlackStandin, slackPlatformError, type SlackStandin } from '../standins/slack'
import { postSlackEvent, slackAppMention } from '../standins/signing'

const ADMIN = { email: 'admin@example.com', password: 'browser-admin-password' }
const MEMBER_B = { email: 'member-b@example.com', password: 'member-b-password' }
const SECRET = 'browser-signing-secret'
const CHANNEL = 'C0BROWSER'
const ASKS = ['Dana, can you fix the checkout CTA on mobile?', 'We need to update the pricing page copy.', 'Agreed, ship it.']

let slack: SlackStandin
let server: ServerHandle
let browser: Browser
let admin: BrowserContext
let page: Page

/**
 * Mentions the bot in `count` new threads whose first thread read Slack refuses, and waits until
 * the engine has failed each job. Resolves to the failed jobs, in mention order.
 */
async function failedMentions(titles: string[]) {
  slack.faults.push(slackPlatformError('conversations.replies', 'channel_not_found', titles.length))
  const threads = []
  for (const title of titles) {
    const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 4, text: i => i === 0 ? `<@${slack.state.botUserId}> ${title}` : ASKS[i - 1]! })
    const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId, text: `<@${slack.state.botUserId}> ${title}` })
    expect((await postSlackEvent(server.url, mention, SECRET)).status).toBe(200)
    threads.push(rootTs)
  }
  return waitFor(async () => {
    const rows = await queryDbFile(server.dbPath, `SELECT id, discussion_id, status, json_extract(payload, '$.thread.threadTs') AS ts FROM discubot_jobs WHERE json_extract(payload, '$.thread.threadTs') IN (${threads.map(() => '?').join(',')})`, threads)
    return rows.length === threads.length && rows.every(row => row.status === 'failed')
      ? threads.map(ts => rows.find(row => row.ts === ts)!)
      : undefined
  }, { timeoutMs: 60_000, message: `${titles.length} failed jobs` })
}

const rowOf = (target: Page, href: string) => target.locator('tr', { has: target.locator(`a[href="${href}"]`) })
const toast = (target: Page, title: string) => target.locator('[data-slot="title"]', { hasText: title })

beforeAll(async () => {
  slack = await startSlackStandin()
  slack.state.addChannel(CHANNEL)
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_SLACK_SIGNING_SECRET: SECRET,
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
    },
  })
  await signInWhenReady(server, ADMIN.email, ADMIN.password)
  await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT id FROM discubot_configs WHERE from_env = 1 AND validation_state = 'ok'`)).length > 0, { message: 'the env Slack config' })
  browser = await launchChromium()
  admin = await newAdminContext(browser, server.url)
  page = await admin.newPage()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await slack?.stop()
})

describe('admin in the browser', () => {
  it('sends a logged-out visitor to sign-in, then back where they were going', async () => {
    await page.goto('/jobs?status=failed')
    await page.waitForURL(/\/login\?redirect=/)
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await screenshot(page, 'login')

    await signInThroughForm(page, ADMIN.email, 'wrong-password')
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Wrong email or password')

    await signInThroughForm(page, ADMIN.email, ADMIN.password)
    await page.waitForURL(url => url.pathname === '/jobs' && url.searchParams.get('status') === 'failed')
  })

  it('shows a failed job with its error; Retry runs a new job to completed on screen without a reload', async () => {
    const [failed] = await failedMentions(['checkout CTA is broken on mobile'])
    await page.goto('/jobs?status=failed')
    const row = rowOf(page, `/jobs/${failed!.id}`)
    await expect.poll(() => row.getByTestId('row-error').textContent()).toContain('channel_not_found')
    await screenshot(page, 'jobs-failed')

    await page.evaluate(() => Object.assign(window, { notReloaded: true }))
    await row.getByTestId('retry-row').click()
    await toast(page, 'Retry queued').waitFor()
    const retryLink = row.getByTestId('retry-link')
    await retryLink.waitFor()
    await expect.poll(() => retryLink.locator('[data-status]').getAttribute('data-status'), { timeout: 60_000 }).toBe('completed')
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)

    // The new job's page: six completed stages, and the chain back to the failure.
    await retryLink.click()
    await page.waitForURL(/\/jobs\/[\w-]+$/)
    await expect.poll(() => page.getByTestId('job-status').getAttribute('data-status')).toBe('completed')
    await screenshot(page, 'job-detail')
    expect(await page.locator('[data-stage-status="completed"]').count()).toBe(6)
    expect(await page.getByTestId('retry-chain').locator(`[data-job-id="${failed!.id}"]`).count()).toBe(1)
    await screenshot(page, 'job-detail')

    // The discussion: summary, tasks in the local list, both jobs.
    await page.getByRole('link', { name: 'Discussion', exact: true }).click()
    await page.waitForURL(/\/discussions\/[\w-]+$/)
    await expect.poll(() => page.getByTestId('discussion-status').getAttribute('data-status')).toBe('completed')
    expect(await page.getByTestId('discussion-jobs').locator('[data-job-id]').count()).toBe(2)
    expect(await page.getByTestId('task-local-link').count()).toBeGreaterThan(0)
    await screenshot(page, 'discussion-detail')

    await page.getByTestId('task-local-link').first().click()
    await page.waitForURL(/\/tasks\/[\w-]+$/)
    await page.locator('[data-status="created"]').first().waitFor()
    await screenshot(page, 'task-detail')
  })

  it('keeps filters and paging in the URL, across a reload', async () => {
    await failedMentions(Array.from({ length: 27 }, (_, i) => `paging-case ${i}`))
    await page.goto('/jobs')
    await page.getByRole('tab', { name: 'Failed' }).click()
    await page.waitForURL(url => url.searchParams.get('status') === 'failed')
    await page.getByTestId('list-search').fill('paging-case')
    await page.waitForURL(url => url.searchParams.get('q') === 'paging-case')
    await page.getByTestId('filter-stages').click()
    await page.getByRole('option', { name: 'Thread building' }).click()
    await page.waitForURL(url => url.searchParams.get('stage') === 'thread_building')
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('1–25 of 27')
    await page.getByTestId('pagination').getByRole('button', { name: 'Page 2' }).click()
    await page.waitForURL(url => url.searchParams.get('page') === '2')
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('26–27 of 27')

    await page.reload()
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('26–27 of 27')
    expect(await page.getByTestId('list-search').inputValue()).toBe('paging-case')
    expect(await page.getByTestId('filter-stages').textContent()).toContain('Thread building')
    expect(await page.getByRole('tab', { name: 'Failed' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.getByTestId('row-error').count()).toBe(2)

    // "Retry all matching" counts before anything is queued.
    await page.getByTestId('retry-matching').click()
    await expect.poll(() => page.getByTestId('retry-matching-count').textContent()).toBe('27')
    await screenshot(page, 'jobs-retry-matching')
    await page.keyboard.press('Escape')
  })

  it('shows a member of team B none of team A\'s rows, and A\'s job as not found', async () => {
    const [aJob] = await queryDbFile(server.dbPath, `SELECT id FROM discubot_jobs LIMIT 1`)
    await withServerDb(server, () => createTeamWithUser('team-b', { ...MEMBER_B, role: 'member' }))
    const context = await newAdminContext(browser, server.url)
    const other = await context.newPage()
    try {
      await other.goto('/login')
      await signInThroughForm(other, MEMBER_B.email, MEMBER_B.password)
      await other.waitForURL(url => url.pathname === '/')
      for (const path of ['/jobs', '/discussions', '/tasks']) {
        await other.goto(path)
        await expect.poll(() => other.locator('tbody').textContent()).toMatch(/No (jobs|discussions|tasks) yet/)
      }
      await other.goto(`/jobs/${aJob!.id}`)
      await other.getByTestId('not-found').waitFor()
      await screenshot(other, 'job-not-found')
      await other.goto('/sources')
      await other.getByText('Only a team owner can').waitFor()
    }
    finally {
      await context.close()
    }
  })

  it('renders every page (light and dark) for the screenshots', async () => {
    for (const [path, name, ready] of [
      ['/', 'overview', 'overview-stats'],
      ['/discussions', 'discussions', 'discussions-table'],
      ['/tasks', 'tasks', 'tasks-table'],
      ['/sources', 'sources', 'config-list'],
      ['/schedules', 'schedules', 'timers-table'],
      ['/settings', 'settings', 'retention-days'],
    ] as const) {
      await page.goto(path)
      await page.getByTestId(ready).waitFor()
      await screenshot(page, name)
    }
    // "Check connection" asks the stand-in who the bot is.
    await page.goto('/sources')
    await page.getByTestId('add-source').click()
    await page.getByTestId('config-form').waitFor()
    await screenshot(page, 'sources-add')
    // The form validates with the API's own zod schema: an empty name is refused with its message.
    await page.getByTestId('config-save').click()
    await page.getByTestId('config-form').getByText('Give the source a name').waitFor()
    await screenshot(page, 'sources-add-invalid')
    await page.keyboard.press('Escape')
    await page.getByTestId('config-check').first().click()
    await expect.poll(() => page.getByTestId('config-validation').first().getAttribute('data-status')).toBe('ok')

    const dark = await newAdminContext(browser, server.url, 'dark')
    await dark.addCookies(await admin.cookies())
    const darkPage = await dark.newPage()
    await darkPage.goto('/jobs?status=failed')
    await darkPage.getByTestId('jobs-table').waitFor()
    expect(await darkPage.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
    await screenshot(darkPage, 'jobs-dark')
    await dark.close()

    await page.goto('/setup')
    await screenshot(page, 'setup-invalid-link')
  })

  it('signs out from the user menu', async () => {
    await page.goto('/')
    await page.getByTestId('user-menu').click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL(/\/login/)
    await page.goto('/jobs')
    await page.waitForURL(/\/login\?redirect=/)
  })

  it('retries three failed discussions at once', async () => {
    const failed = await failedMentions(['bulk alpha', 'bulk beta', 'bulk gamma'])
    // Signed out by the previous test: sign in again on the way.
    await page.goto('/discussions?status=failed&q=bulk')
    await signInThroughForm(page, ADMIN.email, ADMIN.password)
    await page.waitForURL(url => url.pathname === '/discussions')
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('of 3')
    await page.getByRole('checkbox', { name: 'Select every retryable row on this page' }).click()
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('3 failed discussions selected')
    await screenshot(page, 'discussions-bulk')
    await page.getByTestId('retry-selected').click()
    await toast(page, '3 retries queued').waitFor()

    // Without the failed filter each row follows its discussion as the engine works.
    await page.goto('/discussions?q=bulk')
    for (const job of failed) {
      const status = rowOf(page, `/discussions/${job.discussion_id}`).locator('[data-status]').first()
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed')
    }
    const retries = await queryDbFile(server.dbPath, `SELECT count(*) AS n FROM discubot_jobs WHERE retry_of_job_id IN (${failed.map(() => '?').join(',')})`, failed.map(job => String(job.id)))
    expect(Number(retries[0]!.n)).toBe(3)
    await screenshot(page, 'discussions-after-bulk-retry')
  })
})
