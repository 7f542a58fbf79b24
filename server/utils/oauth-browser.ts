// The browser's side of an OAuth install, as @slack/oauth does it (../shared/reference/slack-install.md §3):
// the state also goes into an HttpOnly cookie when the install starts, and the callback must bring
// both, so a link carrying someone's state completes nothing in another browser. A callback that
// cannot be trusted answers a small 400 page (people land on it, not scripts).
import { timingSafeEqual } from 'node:crypto'
import type { H3Event } from 'h3'
import type { OauthProvider } from '#layers/discubot/shared/domain'
import type { TeamSession } from './session'

const STATE_COOKIE_MAX_AGE_S = 600

const cookieName = (provider: OauthProvider) => `discubot-oauth-${provider}`
const cookiePath = (provider: OauthProvider) => `/api/oauth/${provider}/`

export function bindOAuthState(event: H3Event, provider: OauthProvider, state: string) {
  setCookie(event, cookieName(provider), state, {
    httpOnly: true,
    // Lax: Slack sends the browser back with a top-level GET, which carries Lax cookies.
    sameSite: 'lax',
    secure: getRequestProtocol(event, { xForwardedProto: true }) === 'https',
    path: cookiePath(provider),
    maxAge: STATE_COOKIE_MAX_AGE_S,
  })
}

/** Whether the browser brought the state it was given; the cookie is spent either way. */
export function takeOAuthState(event: H3Event, provider: OauthProvider, state: string | undefined): boolean {
  const bound = getCookie(event, cookieName(provider))
  deleteCookie(event, cookieName(provider), { path: cookiePath(provider) })
  if (!bound || !state) return false
  const [a, b] = [Buffer.from(bound), Buffer.from(state)]
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The session's owner, or undefined when signed out or not an owner (the callback explains instead of answering JSON). */
export async function teamOwnerOf(event: H3Event): Promise<TeamSession | undefined> {
  try {
    return await requireTeamOwner(event)
  }
  catch (error) {
    const status = (error as { statusCode?: number }).statusCode
    if (status === 401 || status === 403) return undefined
    throw error
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** A 400 page in plain words, with the way back to Sources. */
export function oauthFailurePage(event: H3Event, title: string, message: string): string {
  setResponseStatus(event, 400, 'Bad Request')
  setResponseHeader(event, 'Content-Type', 'text/html; charset=utf-8')
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Discubot</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1f2937}h1{font-size:1.4rem}a{color:#15803d}</style>
</head><body><h1>${escapeHtml(title)}</h1><p data-testid="oauth-failure">${escapeHtml(message)}</p><p><a href="/sources">Back to Sources</a></p></body></html>`
}
