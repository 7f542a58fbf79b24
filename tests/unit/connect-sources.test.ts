// The pure parts of connecting Slack and Figma: the app manifest and its create link, the authorize
// URL, the scopes a token lacks, an uninstall or a revoked token, the Figma scope ids people paste,
// the reachability of the base URL, and how the Sources page words the end of an install.
import { describe, expect, it } from 'vitest'
import { missingSlackScopes, SLACK_BOT_SCOPES, slackAppManifest, slackCreateAppUrl } from '#layers/discubot/shared/slack-app'
import { sourceEndpoints } from '#layers/discubot/shared/endpoints'
import { figmaContextId, figmaWebhookConnectSchema } from '#layers/discubot/shared/figma-webhook-input'
import { slackAuthorizeUrl } from '#layers/discubot/server/sources/slack/install'
import { slackDeactivationReason } from '#layers/discubot/server/sources/slack/delivery'
import { slackEventCallbackSchema } from '#layers/discubot/server/sources/slack/envelope'
import { DeliveryRejection } from '#layers/discubot/server/sources/rejection'
import { reachabilityProblem } from '#layers/discubot/server/connections/reachability'
import { slackInstallLocation } from '#layers/discubot/server/connections/slack-install'
import { slackInstallNotice } from '../../app/utils/slack-install'
import { thrownBy } from '../support/caught'
import { slackAppMention } from '../standins/signing'

describe('the Slack app manifest', () => {
  const manifest = slackAppManifest('https://discubot.example.com/')

  it('asks for the bot scopes and events Discubot uses, at this instance\'s URLs', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(['app_mentions:read', 'channels:history', 'groups:history', 'chat:write', 'users:read', 'users:read.email', 'reactions:write'])
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: 'https://discubot.example.com/api/webhooks/slack', bot_events: ['app_mention', 'app_uninstalled', 'tokens_revoked'] })
    expect(manifest.oauth_config.redirect_urls).toEqual(['https://discubot.example.com/api/oauth/slack/callback'])
    expect(manifest.features.bot_user).toEqual({ display_name: 'discubot', always_online: true })
    // Discubot keeps one token per workspace and never refreshes one.
    expect(manifest.settings).toMatchObject({ token_rotation_enabled: false, socket_mode_enabled: false, org_deploy_enabled: false, interactivity: { is_enabled: false } })
  })

  it('stays within the manifest schema\'s limits', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35)
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140)
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/^https?:\/\//)
  })

  it('travels whole in Slack\'s create-from-manifest link', () => {
    const url = new URL(slackCreateAppUrl(manifest))
    expect(`${url.origin}${url.pathname}`).toBe('https://api.slack.com/apps')
    expect(url.searchParams.get('new_app')).toBe('1')
    expect(JSON.parse(url.searchParams.get('manifest_json')!)).toEqual(manifest)
  })

  it('names the endpoints under the base URL, with or without a trailing slash', () => {
    expect(sourceEndpoints('http://localhost:3000')).toEqual(sourceEndpoints('http://localhost:3000///'))
    expect(sourceEndpoints('http://localhost:3000').figmaWebhook).toBe('http://localhost:3000/api/webhooks/figma')
  })

  it('names the scopes a token lacks, in the manifest\'s order', () => {
    expect(missingSlackScopes([...SLACK_BOT_SCOPES])).toEqual([])
    expect(missingSlackScopes(['chat:write', ' app_mentions:read', 'channels:history', 'commands'])).toEqual(['groups:history', 'users:read', 'users:read.email', 'reactions:write'])
  })
})

describe('"Add to Slack"', () => {
  it('sends the browser to the authorize URL with the client id, the scopes, the redirect and the state', () => {
    const url = new URL(slackAuthorizeUrl({ slackOauthUrl: 'https://slack.com/oauth/v2/authorize', slackClientId: '123.456' }, { state: 'st&te', redirectUri: 'https://d.example/api/oauth/slack/callback' }))
    expect(`${url.origin}${url.pathname}`).toBe('https://slack.com/oauth/v2/authorize')
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: '123.456', scope: SLACK_BOT_SCOPES.join(','), redirect_uri: 'https://d.example/api/oauth/slack/callback', state: 'st&te' })
  })

  it('lands on Sources saying how it ended, in codes', () => {
    expect(slackInstallLocation({ outcome: 'connected', workspaceId: 'T1' })).toBe('/sources?slack=connected&workspace=T1')
    expect(slackInstallLocation({ outcome: 'failed', error: 'invalid_code' })).toBe('/sources?slack=failed&error=invalid_code')
    expect(slackInstallLocation({ outcome: 'denied' })).toBe('/sources?slack=denied')
  })

  it('words each ending on the Sources page, naming only workspaces the team has', () => {
    const names = (id: string) => (id === 'T1' ? 'Acme' : undefined)
    expect(slackInstallNotice({ slack: 'connected', workspace: 'T1' }, names)).toMatchObject({ color: 'success', title: 'Connected to Acme' })
    // A crafted link cannot make the page announce a workspace the team does not have.
    expect(slackInstallNotice({ slack: 'connected', workspace: 'Visit evil.example' }, names)).toMatchObject({ title: 'Connected to Slack' })
    expect(slackInstallNotice({ slack: 'failed', error: 'invalid_code' }, names)?.description).toMatch(/works once/)
    expect(slackInstallNotice({ slack: 'failed', error: 'something_new' }, names)?.description).toContain('"something_new"')
    expect(slackInstallNotice({ slack: 'denied' }, names)).toMatchObject({ color: 'warning' })
    expect(slackInstallNotice({ slack: 'taken' }, names)).toMatchObject({ color: 'error', title: expect.stringContaining('another team') })
    expect(slackInstallNotice({}, names)).toBeNull()
  })
})

describe('slackDeactivationReason', () => {
  const envelope = (event: Record<string, unknown>) => slackEventCallbackSchema.parse({ ...slackAppMention({ teamId: 'T1' }), event })
  const config = { botUserId: 'U0BOT' }

  it('switches every config of the workspace off when the app is uninstalled', () => {
    expect(slackDeactivationReason(envelope({ type: 'app_uninstalled' }), config)).toMatch(/uninstalled from workspace T1/)
    expect(slackDeactivationReason(envelope({ type: 'app_uninstalled' }), { botUserId: null })).toMatch(/uninstalled/)
  })

  it('switches a config off when its own bot token is revoked, and only then', () => {
    expect(slackDeactivationReason(envelope({ type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } }), config)).toMatch(/revoked the bot token in workspace T1/)
    expect(slackDeactivationReason(envelope({ type: 'tokens_revoked', tokens: { bot: ['U0OTHER'], oauth: ['U0BOT'] } }), config)).toBeNull()
    expect(slackDeactivationReason(envelope({ type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } }), { botUserId: null })).toBeNull()
    expect(slackDeactivationReason(envelope({ type: 'app_mention', user: 'U1', text: 'hi', ts: '1.1', channel: 'C1' }), config)).toBeNull()
  })

  it('refuses a tokens_revoked event without its token lists', () => {
    const error = thrownBy(() => slackDeactivationReason(envelope({ type: 'tokens_revoked' }), config), DeliveryRejection)
    expect(error.statusCode).toBe(400)
    expect(error.message).toContain('event.tokens')
  })
})

describe('Figma webhook scope ids', () => {
  it('takes the id itself or reads it from the Figma URL people copy', () => {
    expect(figmaContextId('file', 'AbC123xyz789')).toBe('AbC123xyz789')
    expect(figmaContextId('file', ' https://www.figma.com/design/AbC123xyz789/Checkout-v2?node-id=1-2 ')).toBe('AbC123xyz789')
    expect(figmaContextId('file', 'https://www.figma.com/file/AbC123xyz789/Checkout')).toBe('AbC123xyz789')
    expect(figmaContextId('team', '1234567890123456789')).toBe('1234567890123456789')
    expect(figmaContextId('team', 'https://www.figma.com/files/team/1234567890123456789/Acme')).toBe('1234567890123456789')
    expect(figmaContextId('team', 'https://www.figma.com/files/987654/team/1234567890123456789/Acme')).toBe('1234567890123456789')
    expect(figmaContextId('project', 'https://www.figma.com/files/project/42424242/Checkout')).toBe('42424242')
  })

  it('refuses what is not one', () => {
    expect(figmaContextId('team', 'acme-design')).toBeNull()
    expect(figmaContextId('project', 'https://www.figma.com/files/team/123/Acme')).toBeNull()
    expect(figmaContextId('file', 'AbC/../123')).toBeNull()
    expect(figmaContextId('file', 'https://evil.example/design/AbC123xyz789/x')).toBeNull()
    expect(figmaContextId('file', 'abc')).toBeNull()
  })

  it('answers a wrong id with an issue on contextId that says where the id is found', () => {
    const result = figmaWebhookConnectSchema.safeParse({ context: 'team', contextId: 'acme-design' })
    expect(result.success).toBe(false)
    expect(result.error!.issues).toEqual([expect.objectContaining({ path: ['contextId'], message: expect.stringContaining('figma.com/files/team/<team id>') })])
    expect(figmaWebhookConnectSchema.safeParse({ context: 'page', contextId: '1' }).success).toBe(false)
    expect(figmaWebhookConnectSchema.parse({ context: 'file', contextId: 'https://www.figma.com/design/AbC123xyz789/x' })).toEqual({ context: 'file', contextId: 'AbC123xyz789' })
  })
})

describe('reachabilityProblem', () => {
  const at = (baseUrl: string, requestHost: string | undefined, production = true) => reachabilityProblem({ baseUrl, requestHost, production })

  it('speaks when the base URL is this machine while Discubot is opened at another host', () => {
    expect(at('http://localhost:3000', 'discubot.trycloudflare.com')).toBe('NUXT_PUBLIC_BASE_URL is http://localhost:3000, which they cannot reach, while Discubot is being opened at discubot.trycloudflare.com: set NUXT_PUBLIC_BASE_URL to the public address (e.g. https://discubot.trycloudflare.com) and restart.')
    expect(at('http://127.0.0.1:3000', '10.0.0.5:3000')).not.toBeNull()
    expect(at('http://[::1]:3000', 'example.com')).not.toBeNull()
  })

  it('stays silent otherwise', () => {
    expect(at('http://localhost:3000', 'localhost:3000')).toBeNull()
    expect(at('https://discubot.example.com', 'localhost:3000')).toBeNull()
    expect(at('http://localhost:3000', 'example.com', false)).toBeNull()
    expect(at('http://localhost:3000', undefined)).toBeNull()
  })
})
