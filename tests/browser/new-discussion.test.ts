// A new instance with only a Notion token, in a real browser (Debian chromium) against the built
// server and the Notion stand-in: the owner picks the database on the Sources page, sees the
// mapping (a number column refused for Status, with the reason), adds the "Discubot ID" column
// (told how to add it by hand while the integration may not), then pastes a sample conversation,
// previews it, runs it, watches the stages and sees the tasks with their Notion links.
// Screenshots: notion-database-picker, notion-database-picker-error, notion-mapping-refused,
// notion-marker-by-hand, notion-mapping, sources-notion-target, new-discussion-preview,
// new-discussion-running, new-discussion-done, new-discussion-tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServer, type ServerHandle } from '../support/server'
import { signInWhenReady } from '../support/admin-client'
import { launchChromium, newAdminContext, screenshot, signInThroughForm } from '../support/browser'
import { startNotionStandin, stockTaskSchema, type NotionStandin, type NotionStandinDatabase } from '../standins/notion'

const ADMIN = { email: 'owner@example.com', password: 'new-discussion-password' }
const TOKEN = 'ntn_browser'

let notion: NotionStandin
let server: ServerHandle
let browser: Browser
let page: Page
let tasks: NotionStandinDatabase

const toast = (target: Page, title: string) => target.locator('[data-slot="title"]', { hasText: title })
/** The page waits on the server (a debounced search, Notion, the engine): give a loaded machine time. */
const patiently = { timeout: 20_000 }

beforeAll(async () => {
  notion = await startNotionStandin({ token: TOKEN })
  tasks = notion.state.addDatabase({ title: 'Team tasks', marker: false, properties: { ...stockTaskSchema(false), Estimate: { type: 'number' } } })
  notion.state.addDatabase({ title: 'Roadmap' })
  notion.state.addDatabase({ title: 'Meeting notes' })
  server = await startServer({
    env: { NUXT_ADMIN_EMAIL: ADMIN.email, NUXT_ADMIN_PASSWORD: ADMIN.password, NUXT_NOTION_TOKEN: TOKEN, NUXT_NOTION_API_URL: notion.url },
  })
  await signInWhenReady(server, ADMIN.email, ADMIN.password)
  browser = await launchChromium()
  page = await (await newAdminContext(browser, server.url)).newPage()
  await page.goto('/login')
  await signInThroughForm(page, ADMIN.email, ADMIN.password)
  await page.waitForURL(url => url.pathname === '/')
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await notion?.stop()
})

async function openNotionTarget() {
  await page.goto('/sources')
  await page.getByTestId('config-notion-target').first().click()
}

describe('from a Notion token to tasks in the chosen database', () => {
  it('shows Notion\'s refusal in words when the token is refused', async () => {
    notion.state.token = 'ntn_rotated'
    try {
      await openNotionTarget()
      await expect.poll(() => page.getByTestId('notion-database-error').textContent(), patiently).toContain('Notion refused the token: it was revoked or mistyped')
      await screenshot(page, 'notion-database-picker-error')
    }
    finally {
      notion.state.token = TOKEN
      await page.keyboard.press('Escape')
    }
  })

  it('picks the database by searching, refuses a number column for Status with the reason, adds the marker column and saves', async () => {
    await openNotionTarget()
    const list = page.getByTestId('notion-database-list')
    await expect.poll(() => list.locator('li').count(), patiently).toBe(3)
    await screenshot(page, 'notion-database-picker')
    await page.getByTestId('notion-database-search').fill('team')
    await expect.poll(() => list.locator('li').count(), patiently).toBe(1)
    await page.getByTestId('notion-database-search').fill('nothing like it')
    await page.getByTestId('notion-database-empty').getByText('Share a database with the integration').waitFor()
    await page.getByTestId('notion-database-search').fill('team')
    await list.locator(`[data-database-id="${tasks.id}"]`).getByTestId('notion-database-pick').click()

    const editor = page.getByTestId('notion-mapping-editor')
    await expect.poll(() => editor.getByTestId('notion-mapping-database').textContent(), patiently).toBe('Team tasks')
    await page.getByTestId('mapping-status').click()
    await page.getByRole('option', { name: 'Estimate · Number' }).click()
    await expect.poll(() => editor.getByTestId('mapping-problem').textContent(), patiently).toBe('The Notion property "Estimate" mapped to status is a Number property; status needs a Status or Select property')
    expect(await editor.getByTestId('notion-mapping-save').isDisabled()).toBe(true)
    await page.getByRole('listbox').waitFor({ state: 'hidden' })
    await screenshot(page, 'notion-mapping-refused')
    await page.getByTestId('mapping-status').click()
    await page.getByRole('option', { name: 'Automatic: Status' }).click()
    await expect.poll(() => editor.getByTestId('mapping-problem').count(), patiently).toBe(0)

    await editor.getByTestId('notion-marker-missing').waitFor()
    // Without the "Update content" capability the page says how to add it by hand.
    notion.state.capabilities.updateContent = false
    await editor.getByTestId('notion-add-marker').click()
    await expect.poll(() => editor.getByTestId('notion-marker-failure').textContent(), patiently).toContain('Add it by hand')
    expect(await editor.getByTestId('notion-marker-failure').textContent()).toContain('lacks the "Update content" capability')
    await editor.getByTestId('notion-marker-failure').scrollIntoViewIfNeeded()
    await screenshot(page, 'notion-marker-by-hand')
    notion.state.capabilities.updateContent = true
    await editor.getByTestId('notion-add-marker').click()
    await toast(page, '"Discubot ID" column added').waitFor()
    await expect.poll(() => editor.getByTestId('notion-marker-missing').count(), patiently).toBe(0)
    expect(tasks.properties['Discubot ID']).toMatchObject({ type: 'rich_text' })
    await screenshot(page, 'notion-mapping')
    await editor.getByTestId('notion-mapping-save').click()
    await toast(page, 'Notion target saved').waitFor()
    await page.getByTestId('config-check').first().click()
    await expect.poll(() => page.getByTestId('config-validation').first().getAttribute('data-status'), patiently).toBe('ok')
    await expect.poll(() => page.getByTestId('config-list').textContent(), patiently).toContain('tasks fill Title → "Task name"')
    await screenshot(page, 'sources-notion-target')
  })

  it('pastes a sample, previews it, runs it, watches the stages and sees the tasks with their Notion links', async () => {
    await page.goto('/discussions/new')
    await page.getByTestId('sample-select').click()
    await page.getByRole('option', { name: 'Checkout button hidden on mobile' }).click()
    await expect.poll(() => page.getByTestId('conversation-text').inputValue(), patiently).toContain('@Dana can you fix the checkout button')
    await page.getByText('6 messages from Maya, Dana, Lee').waitFor()

    await page.getByTestId('preview-discussion').click()
    const preview = page.getByTestId('preview-result')
    await expect.poll(() => preview.getByTestId('preview-task').count(), patiently).toBe(3)
    await expect.poll(() => preview.locator('[data-field="status"]').first().textContent(), patiently).toContain('Not started')
    expect(notion.state.pagesIn(tasks.id)).toHaveLength(0)
    await screenshot(page, 'new-discussion-preview')

    await page.getByTestId('run-discussion').click()
    const run = page.getByTestId('run-progress')
    await run.getByTestId('stage-timeline').waitFor()
    await screenshot(page, 'new-discussion-running')
    await expect.poll(() => run.getByTestId('run-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('completed')
    expect(await run.locator('[data-stage-status="completed"]').count()).toBe(6)
    await expect.poll(() => run.getByTestId('task-notion-link').count(), patiently).toBe(3)
    const pages = notion.state.pagesIn(tasks.id)
    expect(pages).toHaveLength(3)
    const links = await run.getByTestId('task-notion-link').evaluateAll(anchors => anchors.map(a => a.getAttribute('href')))
    expect(links.sort()).toEqual(pages.map(p => p.url).sort())
    expect(await run.getByTestId('run-summary').textContent()).toContain('3 action items')
    await screenshot(page, 'new-discussion-done')
    await run.getByTestId('run-tasks').scrollIntoViewIfNeeded()
    await screenshot(page, 'new-discussion-tasks')
  })
})
