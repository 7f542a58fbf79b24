// Debian's chromium driven by playwright-core, for the admin's browser tests. Screenshots land in
// tests/.artifacts/screenshots/<name>.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { ARTIFACTS } from './paths'

export const SCREENSHOTS = join(ARTIFACTS, 'screenshots')

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.DISCUBOT_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

export async function newAdminContext(browser: Browser, baseURL: string, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, colorScheme })
  context.setDefaultTimeout(20_000)
  return context
}

/** Waits until `selector`'s button is enabled: password forms enable theirs once hydrated (what is typed before would be reset). */
export async function waitUntilEnabled(page: Page, selector: string) {
  await page.waitForFunction(css => document.querySelector<HTMLButtonElement>(css)?.disabled === false, selector)
}

export async function signInThroughForm(page: Page, email: string, password: string) {
  await waitUntilEnabled(page, '[data-testid="login-form"] button[type="submit"]')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** Waits for network quiet and icon SVGs, then saves the page as `<name>.png`. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}
