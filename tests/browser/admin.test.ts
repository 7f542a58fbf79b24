// The admin in a real browser (Debian chromium via playwright-core) against the built server, its
// engine and the Slack stand-in: sign-in, the Failed view, a retry watched to completion without a
// reload, bulk retry, URL-kept filters and paging, team isolation, and a screenshot of every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { closeDb, openServerDb, queryDbFile } from '../support/db-file'
import { createTeamWithUser, signInWhenReady } from '../support/admin-client'
import { seedFailedDiscussion } from '../support/seed-admin'
import { launchChromium, newAdminContext, screenshot, signInThroughForm } from '../support/browser'
import { startSlackStandin, slackPlatformError, type SlackStandin } from '../standins/slack'
import { postSlackEvent, slackAppMention } from '../standins/signing'
import { useDb } from '#layers/discubot/server/utils/db'
import { getDiscubotTeamBySlug } from '#layers/discubot/collections/teams/server/database/queries'

const ADMIN = { email: 'admin@example.com', password: 'browser-admin-password' }
const MEMBER_B = { email: 'member-b@example.com', password: 'member-b-password' }
const SECRET = 'browser-signing-secret'
const CHANNEL = 'C0BROWSER'

let slack: SlackStandin
let server: ServerHandle
let browser: Browser
let admin: BrowserContext
let page: Page
let teamAId: string
let slackConfigId: string

/** A failed discussion whose thread exists in the stand-in, so its retry can run to the end. */
async function seedRetryable(title: string, error: string) {
  const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 3, text: i => i === 0 ? `<@${slack.state.botUserId}> ${title}` : `Dana, can you fix ${title} (${i})?` })
  return seedFailedDiscussion(useDb(), teamAId, rootTs, {
    title,
    error,
    sourceConfigId: slackConfigId,
    thread: { kind: 'slack', workspaceId: slack.state.teamId, channel: CHANNEL, threadTs: rootTs, messageTs: rootTs },
  })
}

async function jobOfThread(rootTs: string) {
  return waitFor(async () => {
    const [row] = await queryDbFile(server.dbPath, `SELECT id, status, error FROM discubot_jobs WHERE json_extract(payload, '$.thread.threadTs') = ? ORDER BY created_at LIMIT 1`, [rootTs])
    return row && (row.status === 'failed' || row.status === 'completed') ? row : undefined
  }, { timeoutMs: 60_000, message: `the first job of ${rootTs} to finish` })
}

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
  const [config] = await waitFor(async () => {
    const rows = await queryDbFile(server.dbPath, `SELECT id FROM discubot_configs WHERE from_env = 1 AND source_type = 'slack' AND validation_state = 'ok'`)
    return rows.length ? rows : undefined
  }, { message: 'the env Slack config' })
  slackConfigId = String(config!.id)
  openServerDb(server.dbPath)
  teamAId = (await getDiscubotTeamBySlug('default'))!.id
  browser = await launchChromium()
  admin = await newAdminContext(browser, server.url)
  page = await admin.newPage()
})

afterAll(async () => {
  await browser?.close()
  closeDb()
  await server?.stop()
  await slack?.stop()
})

describe('admin in the browser', () => {
  it('sends a logged-out visitor to sign-in, then back where they were going', async () => {
    await page.goto('/jobs?status=failed')
    await page.waitForURL(/\/login\?redirect=/)
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true)
    await screenshot(page, 'login')

    await signInThroughForm(page, ADMIN.email, 'wrong-password')
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Wrong email or password')

    await signInThroughForm(page, ADMIN.email, ADMIN.password)
    await page.waitForURL(url => url.pathname === '/jobs' && url.searchParams.get('status') === 'failed')
  })

  it('shows a failed job with its error; Retry runs a new job to completed on screen without a reload', async () => {
    // A real failure through the engine: Slack refuses the thread once.
    const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 4, text: i => i === 0 ? `<@${slack.state.botUserId}> checkout CTA is broken` : ['Dana, can you fix the checkout CTA on mobile?', 'We need to update the pricing copy.', 'Agreed.'][i - 1]! })
    slack.faults.push(slackPlatformError('conversations.replies', 'channel_not_found'))
    const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId })
    expect((await postSlackEvent(server.url, mention, SECRET)).status).toBe(200)
    const failed = await jobOfThread(rootTs)
    expect(failed.status).toBe('failed')

    await page.goto('/jobs?status=failed')
    const row = page.locator('tr', { has: page.locator(`a[href="/jobs/${failed.id}"]`) })
    await expect.poll(() => row.getByTestId('row-error').textContent()).toContain('channel_not_found')
    await screenshot(page, 'jobs-failed')

    await page.evaluate(() => Object.assign(window, { notReloaded: true }))
    await row.getByTestId('retry-row').click()
    await expect.poll(() => page.getByText('Retry queued').first().isVisible()).toBe(true)
    const retryLink = row.getByTestId('retry-link')
    await expect.poll(() => retryLink.isVisible()).toBe(true)
    await expect.poll(() => retryLink.locator('[data-status]').getAttribute('data-status'), { timeout: 60_000 }).toBe('completed')
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)

    // The new job's page: six completed stages, and the chain back to the failure.
    await retryLink.click()
    await page.waitForURL(/\/jobs\/[\w-]+$/)
    await expect.poll(() => page.getByTestId('job-status').getAttribute('data-status')).toBe('completed')
    expect(await page.locator('[data-stage-status="completed"]').count()).toBe(6)
    expect(await page.getByTestId('retry-chain').locator(`[data-job-id="${failed.id}"]`).count()).toBe(1)
    await screenshot(page, 'job-detail')

    // The discussion now has its summary, tasks (local list) and both jobs.
    await page.getByRole('link', { name: 'Discussion' }).first().click()
    await page.waitForURL(/\/discussions\/[\w-]+$/)
    await expect.poll(() => page.getByTestId('discussion-status').getAttribute('data-status')).toBe('completed')
    expect(await page.getByTestId('discussion-jobs').locator('[data-job-id]').count()).toBe(2)
    expect(await page.getByTestId('task-local-link').count()).toBeGreaterThan(0)
    await screenshot(page, 'discussion-detail')

    await page.getByTestId('task-local-link').first().click()
    await page.waitForURL(/\/tasks\/[\w-]+$/)
    await expect.poll(() => page.locator('[data-status="created"]').count()).toBeGreaterThan(0)
    await screenshot(page, 'task-detail')
  })

  it('retries three failed discussions at once', async () => {
    const seeded = await Promise.all(['Bulk alpha', 'Bulk beta', 'Bulk gamma'].map(title => seedRetryable(title, `Slack conversations.replies failed: ratelimited (${title})`)))
    await page.goto('/discussions?status=failed&q=Bulk')
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('of 3')
    await page.getByRole('checkbox', { name: 'Select every retryable row on this page' }).click()
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('3 failed discussions selected')
    await screenshot(page, 'discussions-bulk')
    await page.getByTestId('retry-selected').click()
    await expect.poll(() => page.getByText('3 retries queued').isVisible()).toBe(true)

    // They leave the failed filter; without it, each shows its new state as the engine works.
    await page.goto('/discussions?q=Bulk')
    for (const { discussion } of seeded) {
      await expect.poll(() => page.locator('tr', { has: page.locator(`a[href="/discussions/${discussion.id}"]`) }).locator('[data-status]').first().getAttribute('data-status'), { timeout: 60_000 }).toBe('completed')
    }
    const jobs = await queryDbFile(server.dbPath, `SELECT count(*) AS n FROM discubot_jobs WHERE retry_of_job_id IN (${seeded.map(() => '?').join(',')})`, seeded.map(s => s.job.id))
    expect(Number(jobs[0]!.n)).toBe(3)
    await screenshot(page, 'discussions')
  })

  it('keeps filters and paging in the URL, across a reload', async () => {
    for (let i = 0; i < 27; i++) await seedFailedDiscussion(useDb(), teamAId, `paging-${i}`, { error: `Notion 400 validation_error paging-case ${i}`, stage: 'task_creation' })
    await page.goto('/jobs')
    await page.getByRole('tab', { name: 'Failed' }).click()
    await page.waitForURL(url => url.searchParams.get('status') === 'failed')
    await page.getByTestId('list-search').fill('paging-case')
    await page.waitForURL(url => url.searchParams.get('q') === 'paging-case')
    await page.getByTestId('filter-stages').click()
    await page.getByRole('option', { name: 'Task creation' }).click()
    await page.waitForURL(url => url.searchParams.get('stage') === 'task_creation')
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('1–25 of 27')
    await page.getByTestId('pagination').getByRole('button', { name: '2' }).click()
    await page.waitForURL(url => url.searchParams.get('page') === '2')
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('26–27 of 27')

    await page.reload()
    await expect.poll(() => page.getByTestId('list-range').textContent()).toContain('26–27 of 27')
    expect(await page.getByTestId('list-search').inputValue()).toBe('paging-case')
    expect(await page.getByTestId('filter-stages').textContent()).toContain('Task creation')
    expect(await page.getByRole('tab', { name: 'Failed' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.getByTestId('row-error').count()).toBe(2)

    // Retry all matching: the preview counts before anything is queued.
    await page.getByTestId('retry-matching').click()
    await expect.poll(() => page.getByTestId('retry-matching-count').textContent()).toBe('27')
    await screenshot(page, 'jobs-retry-matching')
    await page.keyboard.press('Escape')
  })

  it('shows a member of team B none of team A\'s rows, and A\'s job as not found', async () => {
    const [aJob] = await queryDbFile(server.dbPath, `SELECT id FROM discubot_jobs WHERE team_id = ? LIMIT 1`, [teamAId])
    await createTeamWithUser('team-b', { ...MEMBER_B, role: 'member' })
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
      await expect.poll(() => other.getByTestId('not-found').isVisible()).toBe(true)
      await screenshot(other, 'job-not-found')
      await other.goto('/sources')
      await expect.poll(() => other.getByText('Only a team owner can').isVisible()).toBe(true)
    }
    finally {
      await context.close()
    }
  })

  it('renders every page (light and dark) for the screenshots', async () => {
    for (const [path, name, ready] of [
      ['/', 'overview', 'overview-stats'],
      ['/tasks', 'tasks', 'tasks-table'],
      ['/sources', 'sources', 'config-list'],
      ['/schedules', 'schedules', 'timers-table'],
      ['/settings', 'settings', 'retention-days'],
    ] as const) {
      await page.goto(path)
      await page.getByTestId(ready).waitFor()
      await screenshot(page, name)
    }
    // Check connection against the stand-in.
    await page.goto('/sources')
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
})
