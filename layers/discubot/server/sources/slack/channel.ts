// A channel as a place to post to (a team's alert channel), not a thread to answer: posting a
// message there, and whether our bot is in it (conversations.info, scope channels:read /
// groups:read for private channels).
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

export interface SlackChannelInfo {
  name?: string
  isMember: boolean
  isArchived: boolean
}

export async function getSlackChannelInfo(ctx: SlackChannelContext, channel: string): Promise<SlackChannelInfo> {
  const client = createSlackClient(ctx.secrets.botToken, ctx.settings, ctx.signal)
  const result = await callSlack('conversations.info', () => client.conversations.info({ channel }))
  return { name: result.channel?.name, isMember: Boolean(result.channel?.is_member), isArchived: Boolean(result.channel?.is_archived) }
}
