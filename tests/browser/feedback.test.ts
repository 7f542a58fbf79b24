// The alert settings and the thread feedback in a real browser against the built server, the
// Slack stand-in and a local webhook receiver: an owner sets the alert channel and the webhook,
// sees the signing secret once, sends a test alert and watches its deliveries land; a failed job's
// page shows the ❌ and the failure note that were posted; a member sees no alert settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { addUserToTeam, signInWhenReady, withServerDb } from '../support/admin-client'
import { launchChromium, newAdminContext, screenshot, signInThroughForm, waitUntilEnabled } from '../support/browser'
import { startSlackStandin, slackPlatformError, type SlackStandin } from '../standins/slack'
import { startAlertReceiver, type AlertReceiver } from '../standins/alert-receiver'
import { postSlackEvent, slackAppMention } from '../standins/signing'
import { getDiscubotTeamBySlug } from '#layers/discubot/collections/teams/server/database/queries'

const ADMIN = { email: 'feedback-owner@example.com', password: 'feedback-owner-password' }
const MEMBER = { email: 'feedback-member@example.com', password: 'feedback-member-password', role: 'member' as const }
const SECRET = 'feedback-browser-signing-secret'
const CHANNEL = 'C0THREADS'
const ALERTS = 'C0OPSALERTS'

let slack: SlackStandin
let receiver: AlertReceiver
let server: ServerHandle
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  [slack, receiver] = await Promise.all([startSlackStandin(), startAlertReceiver()])
  slack.state.addChannel(CHANNEL)
  slack.state.addChannel(ALERTS, 'ops-alerts')
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
  await withServerDb(server, async () => addUserToTeam((await getDiscubotTeamBySlug('default'))!.id, MEMBER))
  browser = await launchChromium()
  context = await newAdminContext(browser, server.url)
  page = await context.newPage()
  await signInAs(page, ADMIN)
})

/** Signs in through the form once the page is hydrated (typing earlier would be lost). */
async function signInAs(target: Page, who: { email: string, password: string }) {
  await target.goto('/login')
  await target.getByRole('heading', { name: 'Sign in' }).waitFor()
  await target.waitForLoadState('networkidle')
  await signInThroughForm(target, who.email, who.password)
  await target.waitForURL(url => !url.pathname.startsWith('/login'))
}

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await Promise.all([slack?.stop(), receiver?.stop()])
})

describe('alerts and thread feedback in the browser', () => {
  it('an owner sets the channel and the webhook, sees the secret once, and a test alert reaches both', async () => {
    await page.goto('/settings')
    const card = page.getByTestId('alerts-card')
    await card.waitFor()
    // Before hydration a click would submit the form natively (a page reload, no message).
    await waitUntilEnabled(page, '[data-testid="save-alerts"]')
    await card.getByTestId('alert-webhook').fill('ftp://example.com/hook')
    await card.getByTestId('save-alerts').click()
    await expect.poll(() => card.getByTestId('alerts-error').textContent()).toContain('Enter an http(s) URL')

    await card.getByTestId('alert-channel').fill(ALERTS)
    await card.getByTestId('alert-webhook').fill(receiver.endpoint)
    await card.getByTestId('save-alerts').click()
    const shown = card.getByTestId('webhook-secret')
    await expect.poll(() => shown.textContent()).toMatch(/whsec_[\w-]{43}/)
    await screenshot(page, 'settings-alerts-secret')

    await card.getByTestId('test-alert').click()
    const list = card.getByTestId('alert-list')
    const test = list.locator('[data-alert-type="test"]').first()
    await expect.poll(() => test.locator('[data-delivery="slack"] [data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('delivered')
    await expect.poll(() => test.locator('[data-delivery="webhook"] [data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('delivered')
    expect(slack.state.posts.filter(post => post.channel === ALERTS)).toHaveLength(1)
    expect(receiver.received()).toHaveLength(1)
    await screenshot(page, 'settings-alerts')

    // A reload never shows the secret again.
    await page.reload()
    await page.getByTestId('alerts-card').waitFor()
    expect(await page.getByTestId('webhook-secret').count()).toBe(0)
    expect(await page.getByTestId('alert-channel').inputValue()).toBe(ALERTS)
  })

  it('a failed job\'s page shows the reactions and the note that were posted, or why not', async () => {
    slack.faults.push(slackPlatformError('chat.postMessage', 'msg_too_long'))
    const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 3, text: i => [`<@${slack.state.botUserId}> please turn this into tasks`, 'Can you fix the checkout CTA on mobile?', 'Agreed.'][i]! })
    const mention = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, ts: rootTs, botUserId: slack.state.botUserId, text: `<@${slack.state.botUserId}> please turn this into tasks` })
    expect((await postSlackEvent(server.url, mention, SECRET)).status).toBe(200)
    const job = await waitFor(async () => {
      const [row] = await queryDbFile(server.dbPath, `SELECT id, status FROM discubot_jobs WHERE json_extract(payload, '$.thread.messageTs') = ?`, [rootTs])
      return row?.status === 'failed' ? row : undefined
    }, { timeoutMs: 60_000, message: 'the job to fail' })
    await waitFor(() => slack.state.reactionsOn(CHANNEL, rootTs).join() === 'x', { message: '❌ on the message' })

    await page.goto(`/jobs/${String(job.id)}`)
    const feedback = page.getByTestId('thread-feedback')
    await expect.poll(() => feedback.locator('[data-feedback="failure_note"]').getAttribute('data-feedback-status'), { timeout: 30_000 }).toBe('delivered')
    await expect.poll(() => feedback.locator('[data-feedback="reactions"]').getAttribute('data-feedback-status')).toBe('delivered')
    expect(await feedback.locator('[data-feedback="reactions"] [data-reaction="x"]').textContent()).toContain(':x:added')
    expect(await feedback.locator('[data-feedback="reactions"] [data-reaction="eyes"]').textContent()).toContain(':eyes:removed')
    expect(await feedback.locator('[data-feedback="failure_note"]').textContent()).toContain('Posted in the thread')
    await screenshot(page, 'job-thread-feedback')
  })

  it('a member sees no alert settings', async () => {
    const memberContext = await newAdminContext(browser, server.url)
    const memberPage = await memberContext.newPage()
    await signInAs(memberPage, MEMBER)
    await memberPage.goto('/settings')
    await memberPage.getByRole('heading', { name: 'Workers' }).waitFor()
    expect(await memberPage.getByTestId('alerts-card').count()).toBe(0)
    await memberContext.close()
  })
})
