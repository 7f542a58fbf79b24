// The People and Team pages in a real browser against the built server, with Slack and Notion
// stand-ins: names and faces in a discussion's thread, people matched to Notion by e-mail and a
// same-name suggestion an owner confirms, an invite link shown once and accepted in another
// browser, a role changed, a password changed; and the first admin's setup page, which shares the
// password fields. Screenshots: people, people-choose-notion, discussion-people, team-invite-link,
// invite-accept, team, settings-password, setup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startServer, type ServerHandle } from '../support/server'
import { queryDbFile } from '../support/db-file'
import { launchChromium, newAdminContext, screenshot, signInThroughForm, waitUntilEnabled } from '../support/browser'
import { PEOPLE_OWNER as OWNER, startPeopleServer, type PeopleServer } from '../support/people-server'
import type { NotionStandin } from '../standins/notion'

let world: PeopleServer
let notion: NotionStandin
let server: ServerHandle
let browser: Browser
let context: BrowserContext
let page: Page
let discussionId: string

const toast = (target: Page, title: string) => target.locator('[data-slot="title"]', { hasText: title })
const personRow = (target: Page, name: string) => target.locator('tr', { has: target.getByTestId('person').filter({ hasText: name }) })

beforeAll(async () => {
  world = await startPeopleServer()
  const { slack } = world
  ;({ notion, server } = world)
  slack.state.addUser({ id: 'U0LEE', name: 'lee', realName: 'Lee Park', displayName: 'lee', email: 'lee.park@acme.test' })
  slack.state.addUser({ id: 'U0DANA', name: 'dana', realName: 'Dana Lee', displayName: 'dana', email: 'dana.lee@acme.test' })
  // No e-mail on Slack's side: only the same name links Sam to Notion, as a suggestion.
  slack.state.addUser({ id: 'U0SAM', name: 'sam', realName: 'Sam Stone', displayName: 'sam' })
  slack.state.addUser({ id: 'U0DISCUBOT', name: 'discubot', realName: 'Discubot', isBot: true })
  notion.state.crowd(3, { name: 'Dana Lee', email: 'dana.lee@acme.test' }, { name: 'Lee Park', email: 'lee.park@acme.test' }, { name: 'Sam Stone', email: 'sam.stone@acme.test' })

  const job = await world.discussThread('C0FACES', [
    { user: 'U0LEE', text: `<@${slack.state.botUserId}> can we make tasks of this?` },
    { user: 'U0LEE', text: '<@U0DANA> can you update the pricing page copy before the launch?' },
    { user: 'U0DANA', text: 'Sure. <@U0SAM> could you review the new screenshots?' },
    { user: 'U0SAM', text: 'Will do, no rush I guess.' },
  ])
  expect(job.status).toBe('completed')
  discussionId = String(job.discussion_id)

  browser = await launchChromium()
  context = await newAdminContext(browser, server.url)
  page = await context.newPage()
  await page.goto('/login')
  await signInThroughForm(page, OWNER.email, OWNER.password)
  await page.waitForURL(url => url.pathname === '/')
})

afterAll(async () => {
  await browser?.close()
  await world?.stop()
})

describe('people', () => {
  it('shows the thread by name, with faces, never the Slack ids', async () => {
    await page.goto(`/discussions/${discussionId}`)
    const authors = page.getByTestId('message-author')
    await expect.poll(() => authors.allTextContents()).toEqual(['Lee Park', 'Lee Park', 'Dana Lee', 'Sam Stone'])
    const thread = await page.getByTestId('thread').textContent()
    expect(thread).toContain('@Dana Lee can you update the pricing page copy')
    expect(thread).not.toMatch(/U0(DANA|LEE|SAM)/)
    // The stand-in serves the profile pictures users.info names; the browser shows them.
    await expect.poll(() => page.getByTestId('thread').locator('img').evaluateAll(images => images.filter(i => (i as HTMLImageElement).naturalWidth > 0).length)).toBe(4)
    await screenshot(page, 'discussion-people')
  })

  it('lists people with their Notion person: matched by e-mail, or a same-name suggestion an owner confirms', async () => {
    await page.goto('/people')
    await page.getByTestId('people-table').waitFor()
    await expect.poll(() => personRow(page, 'Dana Lee').getByTestId('notion-match').textContent()).toBe('Matched by e-mail')
    await expect.poll(() => personRow(page, 'Sam Stone').getByTestId('notion-suggestion').textContent()).toContain('Suggested: same name')
    await screenshot(page, 'people')

    await personRow(page, 'Sam Stone').getByTestId('change-notion-person').click()
    await page.getByTestId('notion-person-select').click()
    await page.getByRole('option', { name: /Sam Stone/ }).waitFor()
    await screenshot(page, 'people-choose-notion')
    await page.getByRole('option', { name: /Sam Stone/ }).click()
    await page.getByTestId('save-notion-person').click()
    await toast(page, 'Notion person saved').waitFor()
    await expect.poll(() => personRow(page, 'Sam Stone').getByTestId('notion-match').textContent()).toBe('Set by an owner')
    const [sam] = await queryDbFile(server.dbPath, `SELECT notion_user_id, notion_match FROM discubot_source_users WHERE source_user_id = 'U0SAM'`)
    expect(sam).toMatchObject({ notion_user_id: notion.state.users.find(u => u.name === 'Sam Stone')!.id, notion_match: 'manual' })
  })
})

describe('team', () => {
  it('invites someone with a link shown once; they accept it in their own browser and land signed in', async () => {
    await page.goto('/team')
    await page.getByTestId('invite-email-input').fill('mia@acme.test')
    await page.getByTestId('invite-submit').click()
    const url = await page.getByTestId('one-time-url').inputValue()
    expect(url).toMatch(new RegExp(`^${server.url}/invite\\?token=`))
    await page.getByTestId('invites-table').getByText('mia@acme.test').waitFor()
    await screenshot(page, 'team-invite-link')

    const theirs = await newAdminContext(browser, server.url)
    try {
      const invited = await theirs.newPage()
      await invited.goto(url)
      await expect.poll(() => invited.getByTestId('invite-summary').textContent()).toContain('mia@acme.test is invited as a member')
      await waitUntilEnabled(invited, 'button[type="submit"]')
      await invited.getByLabel('Your name').fill('Mia Wong')
      await invited.getByLabel('Password', { exact: true }).fill('aaaaaaaaaaaa')
      await invited.getByLabel('Repeat the password').fill('aaaaaaaaaaaa')
      await invited.getByRole('button', { name: 'Create my account and join' }).click()
      await invited.getByText('Use at least 4 different characters').waitFor()
      await invited.getByLabel('Password', { exact: true }).fill('mia-password-1')
      await invited.getByLabel('Repeat the password').fill('mia-password-1')
      await screenshot(invited, 'invite-accept')
      await invited.getByRole('button', { name: 'Create my account and join' }).click()
      await invited.waitForURL(u => u.pathname === '/')
      await expect.poll(() => invited.getByTestId('user-menu').textContent()).toContain('Mia Wong')
      // The link worked once.
      await invited.goto(url)
      await invited.getByTestId('invite-invalid').getByText('already used').waitFor()
    }
    finally {
      await theirs.close()
    }
  })

  it('lists the members, and an owner changes a role', async () => {
    await page.goto('/team')
    const mia = page.locator('tr', { has: page.getByTestId('member').filter({ hasText: 'mia@acme.test' }) })
    await mia.getByTestId('member-role').click()
    await page.getByRole('option', { name: /^Viewer/ }).click()
    await toast(page, 'Mia Wong is now a viewer').waitFor()
    const [row] = await queryDbFile(server.dbPath, `SELECT m.role FROM discubot_team_members m JOIN discubot_users u ON u.id = m.user_id WHERE u.email = 'mia@acme.test'`)
    expect(row?.role).toBe('viewer')
    await screenshot(page, 'team')
  })

  it('changes one\'s own password under Settings', async () => {
    await page.goto('/settings')
    const form = page.getByTestId('change-password-form')
    await waitUntilEnabled(page, '[data-testid="change-password-form"] button[type="submit"]')
    await form.getByLabel('Current password').fill('not-my-password')
    await form.getByLabel('New password', { exact: true }).fill('owner-password-2')
    await form.getByLabel('Repeat the new password').fill('owner-password-2')
    await form.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => page.getByTestId('change-password-error').textContent()).toContain('current password is not right')
    await form.getByLabel('Current password').fill(OWNER.password)
    await form.getByRole('button', { name: 'Change password' }).click()
    await toast(page, 'Password changed').waitFor()
    await screenshot(page, 'settings-password')
    // Still signed in here: this session was sealed again.
    await page.goto('/people')
    await page.getByTestId('people-table').waitFor()
  })
})

describe('first admin', () => {
  it('the setup page still creates the first admin (no name needed) and signs them in', async () => {
    const fresh = await startServer({ env: { NUXT_WORKER_CONCURRENCY: '0' } })
    const theirs = await newAdminContext(browser, fresh.url)
    try {
      const [link] = await fresh.waitForLog(new RegExp(`${fresh.url}/setup\\?token=[\\w-]+`))
      const setup = await theirs.newPage()
      await setup.goto(link)
      await waitUntilEnabled(setup, 'button[type="submit"]')
      await setup.getByLabel('Email').fill('first@acme.test')
      await setup.getByLabel('Password', { exact: true }).fill('first-admin-password')
      await setup.getByLabel('Repeat the password').fill('first-admin-pasword')
      await setup.getByRole('button', { name: 'Create admin and sign in' }).click()
      await setup.getByText('The passwords differ').waitFor()
      await setup.getByLabel('Repeat the password').fill('first-admin-password')
      await setup.getByText('The passwords differ').waitFor({ state: 'hidden' })
      await screenshot(setup, 'setup')
      await setup.getByRole('button', { name: 'Create admin and sign in' }).click()
      await setup.waitForURL(u => u.pathname === '/sources')
      await expect.poll(() => setup.getByTestId('user-menu').textContent()).toContain('first')
    }
    finally {
      await theirs.close()
      await fresh.stop()
    }
  })
})
