// "Add to Slack" as Slack speaks it (facts: ../shared/reference/slack-install.md §2): the authorize
// URL the browser is sent to, and the code exchange (`oauth.v2.access`) that yields the bot token.
import { z } from 'zod'
import type { Settings } from '../../utils/settings'
import { PermanentError } from '../../utils/errors'
import { SLACK_BOT_SCOPES } from '../../../shared/slack-app'
import { callSlack, createSlackAppClient } from './client'

export type SlackInstallSettings = Pick<Settings, 'slackApiUrl' | 'httpTimeoutMs' | 'slackOauthUrl' | 'slackClientId' | 'slackClientSecret'>

/** Where the browser goes to approve the install; Slack echoes `state` back to `redirectUri`. */
export function slackAuthorizeUrl(settings: Pick<Settings, 'slackOauthUrl' | 'slackClientId'>, options: { state: string, redirectUri: string }): string {
  const url = new URL(settings.slackOauthUrl)
  url.searchParams.set('client_id', settings.slackClientId)
  url.searchParams.set('scope', SLACK_BOT_SCOPES.join(','))
  url.searchParams.set('redirect_uri', options.redirectUri)
  url.searchParams.set('state', options.state)
  return url.toString()
}

/** `oauth.v2.access`: loose, since Slack adds fields; `token_type` varies between docs and SDK, so any string. */
const oauthV2AccessSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  scope: z.string().default(''),
  bot_user_id: z.string().min(1),
  app_id: z.string().min(1).optional(),
  team: z.looseObject({ id: z.string().min(1), name: z.string().optional() }).nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  expires_in: z.number().optional(),
})

export interface SlackInstallation {
  botToken: string
  botUserId: string
  appId: string | null
  workspaceId: string
  workspaceName: string | null
  scopes: string[]
}

function refused(code: string, message: string): PermanentError {
  return new PermanentError(`Slack oauth.v2.access failed: ${message}`, { service: 'Slack', code })
}

/**
 * Trades the callback's `code` for the installation. Slack's refusals keep their code
 * (`invalid_code`, `bad_redirect_uri`, …); installs Discubot cannot serve are refused with a code of
 * ours: an org-wide (Grid) install names no workspace, and a rotating token would expire in 12 hours.
 */
export async function exchangeSlackCode(settings: SlackInstallSettings, options: { code: string, redirectUri: string }): Promise<SlackInstallation> {
  const answer = await callSlack('oauth.v2.access', () => createSlackAppClient(settings).oauth.v2.access({
    client_id: settings.slackClientId,
    client_secret: settings.slackClientSecret,
    code: options.code,
    redirect_uri: options.redirectUri,
  }))
  const parsed = oauthV2AccessSchema.safeParse(answer)
  if (!parsed.success) throw refused('invalid_response', 'the answer names no bot token, bot user or workspace')
  const access = parsed.data
  if (!access.team || access.is_enterprise_install) throw refused('org_install_unsupported', 'an org-wide install names no workspace; install the app in one workspace')
  if (access.expires_in !== undefined) throw refused('token_rotation_enabled', 'the app has token rotation on; turn it off (the manifest sets token_rotation_enabled: false)')
  return {
    botToken: access.access_token,
    botUserId: access.bot_user_id,
    appId: access.app_id ?? null,
    workspaceId: access.team.id,
    workspaceName: access.team.name ?? null,
    scopes: access.scope.split(',').map(scope => scope.trim()).filter(Boolean),
  }
}
