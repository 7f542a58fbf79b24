// Discubot's Slack app as one manifest (facts: ../shared/reference/slack-install.md §1): what the
// "Create the Slack app" link and "Copy manifest" hand to Slack, what "Add to Slack" asks for, and
// the list "Check connection" holds a token's scopes against.
import { sourceEndpoints } from './endpoints'

/** What the bot needs: mentions, thread history (public and private channels), replies, names and e-mails, reactions. */
export const SLACK_BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'chat:write',
  'users:read',
  'users:read.email',
  'reactions:write',
] as const

/**
 * `app_mention` starts discussions; `app_uninstalled` and `tokens_revoked` switch a config off.
 * Slack's docs leave the last two as manifest bot events unconfirmed (the reference marks it), but
 * published manifests subscribe them this way and they need no scope.
 */
export const SLACK_BOT_EVENTS = ['app_mention', 'app_uninstalled', 'tokens_revoked'] as const

export interface SlackAppManifest {
  display_information: { name: string, description: string }
  features: { bot_user: { display_name: string, always_online: boolean } }
  oauth_config: { redirect_urls: string[], scopes: { bot: string[] } }
  settings: {
    event_subscriptions: { request_url: string, bot_events: string[] }
    interactivity: { is_enabled: boolean }
    org_deploy_enabled: boolean
    socket_mode_enabled: boolean
    /** Off: Discubot keeps one bot token and does not refresh expiring ones. */
    token_rotation_enabled: boolean
  }
}

export function slackAppManifest(baseUrl: string): SlackAppManifest {
  const endpoints = sourceEndpoints(baseUrl)
  return {
    display_information: { name: 'Discubot', description: 'Turns the Slack threads you mention it in into tasks.' },
    features: { bot_user: { display_name: 'discubot', always_online: true } },
    oauth_config: { redirect_urls: [endpoints.slackOauthRedirect], scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: { request_url: endpoints.slackEvents, bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: false },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  }
}

/**
 * Slack's "create an app from this manifest" link. Known from a Slack maintainer, not from the
 * current docs, and newer creation screens may drop the prefill: the page offers "Copy manifest" too.
 */
export function slackCreateAppUrl(manifest: SlackAppManifest): string {
  return `https://api.slack.com/apps?new_app=1&manifest_json=${encodeURIComponent(JSON.stringify(manifest))}`
}

/** The manifest's scopes a token lacks, in the manifest's order. */
export function missingSlackScopes(granted: readonly string[]): string[] {
  const have = new Set(granted.map(scope => scope.trim()))
  return SLACK_BOT_SCOPES.filter(scope => !have.has(scope))
}
