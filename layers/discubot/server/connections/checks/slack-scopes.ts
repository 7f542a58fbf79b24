// The Slack half of "Check connection" beyond who the token is: does it hold the manifest's scopes
// (Slack names them in the `x-oauth-scopes` header of `auth.test`), and is the bot in each channel
// the config listens to (sources/slack/channel.ts `botChannelAccess`).
import type { CheckFinding } from '../../../shared/api'
import { missingSlackScopes } from '../../../shared/slack-app'
import { botChannelAccess } from '../../sources/slack/channel'
import { messageOf } from '../../utils/errors'
import type { ConnectionCheck } from './types'

/** Without these no thread is read or answered; the others cost names, e-mails or reactions. */
const ESSENTIAL = new Set(['app_mentions:read', 'channels:history', 'chat:write'])

/** At most this many channels are asked about; the rest are named as unchecked. */
const MAX_CHANNELS = 20

function scopeFinding(granted: string[]): CheckFinding {
  const missing = missingSlackScopes(granted)
  if (missing.length === 0) return { state: 'ok', message: 'Slack: the token has every scope Discubot needs.' }
  return {
    state: missing.some(scope => ESSENTIAL.has(scope)) ? 'error' : 'warning',
    message: `Slack: the token lacks ${missing.join(', ')}. Add ${missing.length === 1 ? 'it' : 'them'} to the app's bot scopes (the manifest lists them all) and reinstall the app.`,
  }
}

export const checkSlackScopes: ConnectionCheck = async ({ config, secrets, settings, identity }) => {
  if (config.sourceType !== 'slack') return { findings: [] }
  const outcome = await identity
  // The source check already says why the token is missing or refused.
  if (!outcome.ok) return { findings: [] }
  const findings: CheckFinding[] = outcome.identity.scopes ? [scopeFinding(outcome.identity.scopes)] : []

  const channels = config.slackChannelIds ?? []
  if (channels.length === 0) return { findings }
  const asked = channels.slice(0, MAX_CHANNELS)
  const outside: string[] = []
  const unknown: string[] = []
  for (const channel of asked) {
    try {
      const access = await botChannelAccess({ secrets, settings }, channel)
      if (access === 'outside') outside.push(channel)
      else if (access === 'unknown') unknown.push(channel)
    }
    catch (error) {
      return { findings: [...findings, { state: 'error', message: messageOf(error) }] }
    }
  }
  if (outside.length > 0) findings.push({ state: 'error', message: `Slack: the bot is not in ${outside.join(', ')}: invite it there (/invite @discubot), or mentions in ${outside.length === 1 ? 'that channel' : 'those channels'} cannot be read.` })
  if (unknown.length > 0) findings.push({ state: 'error', message: `Slack: channel ${unknown.join(', ')} not found (a private channel stays hidden until the bot is invited to it): check the config's channel ids.` })
  if (outside.length === 0 && unknown.length === 0) findings.push({ state: 'ok', message: `Slack: the bot is in ${asked.join(', ')}.` })
  if (channels.length > asked.length) findings.push({ state: 'warning', message: `Slack: only the first ${MAX_CHANNELS} channels were checked.` })
  return { findings }
}
