// A channel as a place to post to (a team's alert channel), not a thread to answer: posting a
// message there, and whether our bot is in it. Membership is read with `conversations.history`,
// which needs only `channels:history`/`groups:history` (both in the manifest) and answers
// `not_in_channel` for a channel the bot was not invited to; `conversations.info` would need
// `channels:read` too.
import type { ConfigSecrets } from '../../../shared/schemas'
import { PermanentError } from '../../utils/errors'
import { callSlack, createSlackClient, type SlackClientSettings } from './client'

export interface SlackChannelContext {
  secrets: Pick<ConfigSecrets, 'botToken'>
  settings: SlackClientSettings
  signal?: AbortSignal
}

export async function postSlackChannelMessage(ctx: SlackChannelContext, channel: string, text: string): Promise<{ ts: string }> {
  const client = createSlackClient(ctx.secrets.botToken, ctx.settings, ctx.signal)
  const result = await callSlack('chat.postMessage', () => client.chat.postMessage({ channel, text, unfurl_links: false, unfurl_media: false }))
  if (!result.ts) throw new PermanentError('Slack chat.postMessage failed: the answer has no ts', { service: 'Slack' })
  return { ts: result.ts }
}

/** `member`; `outside`: the bot was not invited; `unknown`: no such channel (or a private one the bot cannot see). */
export type BotChannelAccess = 'member' | 'outside' | 'unknown'

export async function botChannelAccess(ctx: SlackChannelContext, channel: string): Promise<BotChannelAccess> {
  const client = createSlackClient(ctx.secrets.botToken, ctx.settings, ctx.signal)
  try {
    await callSlack('conversations.history', () => client.conversations.history({ channel, limit: 1 }))
    return 'member'
  }
  catch (error) {
    const code = error instanceof PermanentError ? error.code : undefined
    if (code === 'not_in_channel') return 'outside'
    if (code === 'channel_not_found') return 'unknown'
    throw error
  }
}

/** The channel's name for people to read, when the token may see it (`channels:read`); else undefined. */
export async function slackChannelName(ctx: SlackChannelContext, channel: string): Promise<string | undefined> {
  const client = createSlackClient(ctx.secrets.botToken, ctx.settings, ctx.signal)
  try {
    const result = await callSlack('conversations.info', () => client.conversations.info({ channel }))
    return result.channel?.name
  }
  catch {
    return undefined
  }
}
