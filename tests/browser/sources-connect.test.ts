// Connecting from the Sources page in a real browser (Debian chromium) against the built server
// and the Slack and Figma stand-ins: "Add to Slack" through Slack's page and back, the manifest's
// create link and copy, "Connect webhook" with a wrong id and then a Figma URL, and the banner a
// server shows when Slack and Figma cannot reach it. Screenshots of each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startServer, type ServerHandle } from '../support/server'
import { signInWhenReady } from '../support/admin-client'
import { launchChromium, newAdminContext, screenshot, signInThroughForm } from '../support/browser'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'

const ADMIN = { email: 'owner@connect.test', password: 'connect-owner-password' }
const FILE_KEY = 'AbC123xyz789QrS'

let slack: SlackStandin
let figma: FigmaStandin
let server: ServerHandle
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  ;[slack, figma] = await Promise.all([startSlackStandin(), startFigmaStandin()])
  server = await startServer({
    env: {
      NUXT_ADMIN_EMAIL: ADMIN.email,
      NUXT_ADMIN_PASSWORD: ADMIN.password,
      NUXT_SLACK_SIGNING_SECRET: 'connect-signing-secret',
      NUXT_SLACK_CLIENT_ID: slack.state.app.clientId,
      NUXT_SLACK_CLIENT_SECRET: slack.state.app.clientSecret,
      NUXT_SLACK_OAUTH_URL: `${slack.url}/oauth/v2/authorize`,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_FIGMA_API_URL: figma.url,
    },
  })
  slack.state.app.redirectUrls = [`${server.url}/api/oauth/slack/callback`]
  const owner = await signInWhenReady(server, ADMIN.email, ADMIN.password)
  expect((await owner.call('/api/configs', { method: 'POST', body: { sourceType: 'figma', name: 'Design files', secrets: { figmaToken: figma.state.token } } })).status).toBe(201)
  browser = await launchChromium()
  context = await newAdminContext(browser, server.url)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
  page = await context.newPage()
  await page.goto('/login')
  await signInThroughForm(page, ADMIN.email, ADMIN.password)
  await page.waitForURL(url => url.pathname === '/')
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await Promise.all([slack?.stop(), figma?.stop()])
})

const notice = () => page.getByTestId('slack-install-notice')

describe('the Sources page', () => {
  it('offers "Add to Slack", the manifest\'s create link (new tab) and a copy of it', async () => {
    await page.goto('/sources')
    await page.getByTestId('slack-connect').waitFor()
    await screenshot(page, 'sources-connect')

    const create = page.getByTestId('create-slack-app')
    expect(await create.getAttribute('target')).toBe('_blank')
    const link = new URL((await create.getAttribute('href'))!)
    expect(`${link.origin}${link.pathname}`).toBe('https://api.slack.com/apps')
    const manifest = JSON.parse(link.searchParams.get('manifest_json')!)
    expect(manifest.settings.event_subscriptions.request_url).toBe(`${server.url}/api/webhooks/slack`)
    expect(manifest.oauth_config.redirect_urls).toEqual([`${server.url}/api/oauth/slack/callback`])

    await page.getByTestId('copy-manifest').click()
    await page.locator('[data-slot="title"]', { hasText: 'Manifest copied' }).waitFor()
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(manifest)
  })

  it('"Add to Slack" goes through Slack\'s page and comes back connected', async () => {
    await page.getByTestId('add-to-slack').click()
    await page.waitForURL(url => url.href.startsWith(`${slack.url}/oauth/v2/authorize`))
    await page.getByText('Discubot is requesting permission to access the Stand-in Slack workspace').waitFor()
    await screenshot(page, 'slack-authorize')
    await page.locator('#allow').click()

    await page.waitForURL(url => url.pathname === '/sources' && url.searchParams.get('slack') === 'connected')
    await expect.poll(() => notice().textContent()).toContain('Connected to Stand-in')
    await page.locator('[data-config-id]', { hasText: 'Slack · Stand-in' }).waitFor()
    await screenshot(page, 'sources-slack-connected')

    // Dismissed, the notice takes its query along: a reload does not repeat it.
    await notice().getByRole('button').click()
    await page.waitForURL(url => url.pathname === '/sources' && !url.searchParams.has('slack'))
    expect(await notice().count()).toBe(0)
  })

  it('says so when the install is cancelled on Slack\'s page', async () => {
    await page.getByTestId('add-to-slack').click()
    await page.locator('#cancel').click()
    await page.waitForURL(url => url.searchParams.get('slack') === 'denied')
    await expect.poll(() => notice().textContent()).toContain('Slack install cancelled')
  })

  it('"Connect webhook" refuses a wrong id in the form, takes a file\'s URL, then shows the webhook and its deliveries', async () => {
    await page.goto('/sources')
    const card = page.locator('[data-config-id]', { hasText: 'Design files' })
    await card.getByTestId('figma-webhook-connect').click()
    const form = page.getByTestId('figma-webhook-form')
    await form.getByRole('radio', { name: 'Team' }).click()
    await form.getByTestId('figma-webhook-context-id').fill('acme-design')
    await form.getByTestId('figma-webhook-submit').click()
    await form.getByText('Not a Figma team id').waitFor()
    await screenshot(page, 'figma-webhook-invalid')
    expect(figma.requests.filter(request => request.route === 'POST /v2/webhooks')).toEqual([])

    await form.getByRole('radio', { name: 'File' }).click()
    await form.getByTestId('figma-webhook-context-id').fill(`https://www.figma.com/design/${FILE_KEY}/Checkout?node-id=1-2`)
    await form.getByTestId('figma-webhook-submit').click()
    await form.waitFor({ state: 'detached' })
    await expect.poll(() => card.getByTestId('figma-webhook-status').textContent(), { timeout: 20_000 }).toBe('ACTIVE')
    await expect.poll(() => card.getByTestId('figma-webhook-deliveries').textContent()).toContain('PING')
    expect(await card.textContent()).toContain(`File ${FILE_KEY}`)
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'sources-figma-webhook')
  })
})

describe('a server Slack and Figma cannot reach', () => {
  it('warns once in the log and on Sources, and without the app\'s credentials offers the manifest only', async () => {
    // NUXT_PUBLIC_BASE_URL unset: the default, localhost:3000, while the admin is opened at 127.0.0.1.
    const unreachable = await startServer({ env: { NUXT_ADMIN_EMAIL: ADMIN.email, NUXT_ADMIN_PASSWORD: ADMIN.password, NUXT_PUBLIC_BASE_URL: undefined } })
    const other = await newAdminContext(browser, unreachable.url)
    try {
      await signInWhenReady(unreachable, ADMIN.email, ADMIN.password)
      const tab = await other.newPage()
      await tab.goto('/login')
      await signInThroughForm(tab, ADMIN.email, ADMIN.password)
      await tab.waitForURL(url => url.pathname === '/')
      await tab.goto('/sources')
      await expect.poll(() => tab.getByTestId('reachability-banner').textContent()).toContain(`NUXT_PUBLIC_BASE_URL is http://localhost:3000, which they cannot reach, while Discubot is being opened at 127.0.0.1:${unreachable.port}`)
      await tab.getByTestId('add-to-slack-unavailable').waitFor()
      expect(await tab.getByTestId('add-to-slack').count()).toBe(0)
      await screenshot(tab, 'sources-reachability')
      await tab.reload()
      await tab.getByTestId('reachability-banner').waitFor()
      expect(unreachable.logs().match(/Slack and Figma must reach this server/g)).toHaveLength(1)
    }
    finally {
      await other.close()
      await unreachable.kill()
    }
  })
})
