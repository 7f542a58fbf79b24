// "Add to Slack" (OAuth v2): an owner starts an install with a single-use state bound to their team
// and to them (10 minutes), Slack sends the browser back with a code, and the code becomes the
// team's Slack config for that workspace — created once, updated by a reinstall, refused when the
// workspace belongs to another team. The browser's side (binding cookie, redirects, the 400 page)
// is the routes' (server/utils/oauth-browser.ts).
import { randomBytes } from 'node:crypto'
import { createError } from 'h3'
import { consola } from 'consola'
import { consumeDiscubotOauthState, mintDiscubotOauthState } from '../../collections/oauth-states/server/database/queries'
import { recordSlackInstall } from '../../collections/configs/server/database/queries'
import { sourceEndpoints } from '../../shared/endpoints'
import { missingSlackScopes } from '../../shared/slack-app'
import { exchangeSlackCode, slackAuthorizeUrl, type SlackInstallation } from '../sources/slack/install'
import { PermanentError, TransientError } from '../utils/errors'
import { useSettings, type Settings } from '../utils/settings'

const log = consola.withTag('slack-install')

export const SLACK_INSTALL_TTL_MS = 10 * 60_000

export interface InstallSession {
  teamId: string
  userId: string
}

/** "Add to Slack" needs the app's OAuth credentials and its signing secret (to verify what the installs send). */
export function slackInstallMissingSettings(settings: Settings = useSettings()): string[] {
  return [
    ['NUXT_SLACK_CLIENT_ID', settings.slackClientId],
    ['NUXT_SLACK_CLIENT_SECRET', settings.slackClientSecret],
    ['NUXT_SLACK_SIGNING_SECRET', settings.slackSigningSecret],
  ].filter(([, value]) => !value?.trim()).map(([name]) => name!)
}

/** Mints the state and says where to send the browser. */
export async function startSlackInstall(session: InstallSession): Promise<{ state: string, authorizeUrl: string }> {
  const settings = useSettings()
  const missing = slackInstallMissingSettings(settings)
  if (missing.length > 0) {
    throw createError({ statusCode: 409, statusMessage: 'Conflict', message: `"Add to Slack" is not set up on this server: set ${missing.join(', ')} and restart, or create the Slack app from the manifest and add its bot token as a source` })
  }
  const state = randomBytes(32).toString('base64url')
  await mintDiscubotOauthState({ state, provider: 'slack', ...session, expiresAt: new Date(Date.now() + SLACK_INSTALL_TTL_MS) })
  return { state, authorizeUrl: slackAuthorizeUrl(settings, { state, redirectUri: sourceEndpoints(settings.publicBaseUrl).slackOauthRedirect }) }
}

/** How an install ended, as the Sources page explains it (codes only: nothing a link could forge is shown as text). */
export type SlackInstallResult
  = | { outcome: 'connected', workspaceId: string }
    | { outcome: 'denied' }
    | { outcome: 'taken' }
    | { outcome: 'failed', error: string }

export interface SlackCallback {
  state: string
  code?: string
  error?: string
}

/** Slack's error codes are snake_case words; anything else in the URL is not worth repeating. */
const errorCode = (value: string | undefined) => value && /^[a-z][a-z0-9_]{0,63}$/.test(value) ? value : 'unknown_error'

function validationOf(installation: SlackInstallation) {
  const where = installation.workspaceName ?? installation.workspaceId
  const missing = missingSlackScopes(installation.scopes)
  return missing.length === 0
    ? { state: 'ok' as const, message: `Slack: installed in ${where} with every scope Discubot needs. Invite @discubot to a channel and mention it in a thread.` }
    : { state: 'warning' as const, message: `Slack: installed in ${where}, but the token lacks ${missing.join(', ')}. Add them to the app (the manifest lists them) and add it to Slack again.` }
}

async function exchange(code: string): Promise<SlackInstallation | { error: string }> {
  const settings = useSettings()
  try {
    return await exchangeSlackCode(settings, { code, redirectUri: sourceEndpoints(settings.publicBaseUrl).slackOauthRedirect })
  }
  catch (error) {
    if (!(error instanceof PermanentError || error instanceof TransientError)) throw error
    log.warn(error.message)
    return { error: error instanceof PermanentError ? errorCode(error.code) : 'slack_unavailable' }
  }
}

/**
 * Completes the install the state names, for the session that started it. Undefined when the state
 * is unknown, expired, used or not this session's: nothing is written then.
 */
export async function completeSlackInstall(session: InstallSession, callback: SlackCallback): Promise<SlackInstallResult | undefined> {
  const consumed = await consumeDiscubotOauthState({ state: callback.state, provider: 'slack', ...session })
  if (!consumed) return undefined
  if (callback.error) return callback.error === 'access_denied' ? { outcome: 'denied' } : { outcome: 'failed', error: errorCode(callback.error) }
  if (!callback.code) return { outcome: 'failed', error: 'missing_code' }

  const installation = await exchange(callback.code)
  if ('error' in installation) return { outcome: 'failed', error: installation.error }
  const recorded = await recordSlackInstall({
    ...session,
    workspaceId: installation.workspaceId,
    workspaceName: installation.workspaceName,
    appId: installation.appId,
    botUserId: installation.botUserId,
    name: `Slack · ${installation.workspaceName ?? installation.workspaceId}`.slice(0, 100),
    secrets: { botToken: installation.botToken, signingSecret: useSettings().slackSigningSecret },
    validation: validationOf(installation),
  })
  if (recorded.status === 'taken') {
    log.warn(`team ${session.teamId}: install refused, Slack workspace ${installation.workspaceId} is connected to another team`)
    return { outcome: 'taken' }
  }
  log.info(`team ${session.teamId}: Slack workspace ${installation.workspaceId} ${recorded.status === 'created' ? 'connected' : 'reconnected'} (config ${recorded.config.id})`)
  return { outcome: 'connected', workspaceId: installation.workspaceId }
}

/** Where the browser lands after the callback: the Sources page, told how it went. */
export function slackInstallLocation(result: SlackInstallResult): string {
  const query = new URLSearchParams({ slack: result.outcome })
  if (result.outcome === 'connected') query.set('workspace', result.workspaceId)
  if (result.outcome === 'failed') query.set('error', result.error)
  return `/sources?${query.toString()}`
}
