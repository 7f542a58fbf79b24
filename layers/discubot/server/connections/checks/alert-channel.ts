// The alert-channel half of a check: when this config's bot is the one that posts the team's
// alerts (feedback/alerts/slack-poster.ts), is it in the alert channel? A bot outside the channel
// cannot post there, and the fix is one Slack command.
import { getTeamAlertSettings } from '../../../collections/team-alerts/server/database/queries'
import { findSlackAlertPoster } from '../../feedback/alerts/slack-poster'
import { botChannelAccess, slackChannelName } from '../../sources/slack/channel'
import { messageOf } from '../../utils/errors'
import type { ConnectionCheck } from './types'

export const checkAlertChannel: ConnectionCheck = async ({ config, secrets, settings }) => {
  if (config.sourceType !== 'slack' || !secrets.botToken) return { findings: [] }
  const channel = (await getTeamAlertSettings(config.teamId))?.slackChannelId
  if (!channel || (await findSlackAlertPoster(config.teamId))?.config.id !== config.id) return { findings: [] }
  try {
    const [access, channelName] = await Promise.all([botChannelAccess({ secrets, settings }, channel), slackChannelName({ secrets, settings }, channel)])
    const name = `#${channelName ?? channel}`
    if (access === 'outside') return { findings: [{ state: 'warning', message: `Slack: the bot is not in the alert channel ${name}: invite the bot to ${name} (type /invite @ and the bot's name there).` }] }
    // A private channel the bot is not in looks like no channel at all.
    if (access === 'unknown') return { findings: [{ state: 'warning', message: `Slack: the bot cannot see the alert channel ${channel}: invite the bot to ${name}, or check the channel id in Settings.` }] }
    return { findings: [{ state: 'ok', message: `Slack: alerts go to ${name}.` }] }
  }
  catch (error) {
    return { findings: [{ state: 'warning', message: `Slack: could not check the alert channel (${messageOf(error)}).` }] }
  }
}
