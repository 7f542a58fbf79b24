import { it, expect } from 'vitest'
import { startServer, waitFor } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { signInWhenReady } from '../support/admin-client'
import { launchChromium, newAdminContext, signInThroughForm, screenshot } from '../support/browser'
import { startSlackStandin, slackPlatformError } from '../standins/slack'
import { postSlackEvent, slackAppMention } from '../standins/signing'

it('scratch: retry of a real failure in the browser', async () => {
  const slack = await startSlackStandin()
  slack.state.addChannel('C0X')
  const server = await startServer({ env: { NUXT_ADMIN_EMAIL: 'a@example.com', NUXT_ADMIN_PASSWORD: 'pw-pw-pw-pw', NUXT_SLACK_SIGNING_SECRET: 's', NUXT_SLACK_BOT_TOKEN: slack.state.token, NUXT_SLACK_API_URL: `${slack.url}/api/` } })
  const browser = await launchChromium()
  try {
    await signInWhenReady(server, 'a@example.com', 'pw-pw-pw-pw')
    await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT id FROM discubot_configs WHERE validation_state = 'ok'`)).length > 0)
    const { rootTs } = slack.state.seedThread('C0X', { messages: 3 })
    slack.faults.push(slackPlatformError('conversations.replies', 'channel_not_found'))
    await postSlackEvent(server.url, slackAppMention({ teamId: slack.state.teamId, channel: 'C0X', ts: rootTs, botUserId: slack.state.botUserId }), 's')
    await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT id, discussion_id, status FROM discubot_jobs WHERE status = 'failed'`))[0])
    const context = await newAdminContext(browser, server.url)
    const page = await context.newPage()
    page.on('console', m => console.log('console', m.type(), m.text()))
    page.on('response', r => { if (r.url().includes('/api/')) console.log('resp', r.request().method(), r.url(), r.status()) })
    await page.goto('/login')
    await signInThroughForm(page, 'a@example.com', 'pw-pw-pw-pw')
    await page.waitForURL(u => u.pathname === '/')
    await page.goto('/jobs?status=failed')
    await page.getByTestId('retry-row').waitFor()
    await new Promise(r => setTimeout(r, 1000))
    const t = Date.now()
    await page.getByTestId('retry-row').click()
    console.log('clicked', Date.now() - t)
    await new Promise(r => setTimeout(r, 6000))
    await screenshot(page, 'scratch-after-retry')
    console.log(server.logs().slice(-3000))
  }
  finally {
    await browser.close()
    await server.kill()
    await slack.stop()
  }
  expect(true).toBe(true)
})
