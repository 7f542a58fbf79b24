// Slack behind the SourceAdapter interface: the thread through conversations.replies, the reply
// through chat.postMessage tagged with metadata so a crash after posting never posts twice, the
// reactions on the mentioning message through reactions.add/remove (../shared/reference/slack-install.md §4).
import type { SlackThreadRef, ThreadRef } from '../../../shared/schemas'
import { messageOf, PermanentError } from '../../utils/errors'
import type { ReplyContent, SourceAdapter, SourceCallContext } from '../types'
import { callSlack, createSlackClient } from './client'
import { formatSlackReply, SLACK_REPLY_EVENT_TYPE, slackReplyMetadata } from './reply'
import { readSlackThread, toThreadMessage } from './thread'
import { lookupSlackUsers, SLACK_USER_ID } from './users'

function slackRef(ref: ThreadRef): SlackThreadRef {
  if (ref.kind !== 'slack') throw new PermanentError(`The Slack source cannot handle a ${ref.kind} thread`)
  return ref
}

function clientFor(ctx: SourceCallContext) {
  return createSlackClient(ctx.secrets.botToken, ctx.settings, ctx.signal)
}

export const slackAdapter: SourceAdapter = {
  sourceType: 'slack',
  replies: true,

  async identify(ctx) {
    const auth = await callSlack('auth.test', () => clientFor(ctx).auth.test())
    if (!auth.user_id || !auth.team_id) throw new PermanentError('Slack auth.test failed: the answer names no bot user or workspace', { service: 'Slack' })
    const scopes = auth.response_metadata?.scopes
    return { workspaceId: auth.team_id, workspaceName: auth.team, userId: auth.user_id, userName: auth.user, ...(scopes ? { scopes } : {}) }
  },

  async fetchThread(ctx, ref) {
    const { messages, pages } = await readSlackThread(clientFor(ctx), slackRef(ref), { signal: ctx.signal, onPage: ctx.onPage })
    return { messages: messages.map(toThreadMessage), fetchedAt: new Date().toISOString(), pages }
  },

  async findReply(ctx, ref, marker) {
    const { messages } = await readSlackThread(clientFor(ctx), slackRef(ref), { includeMetadata: true, signal: ctx.signal })
    const ours = messages.find(message => message.metadata?.event_type === SLACK_REPLY_EVENT_TYPE && message.metadata.event_payload?.marker === marker)
    return ours?.ts ? { id: ours.ts } : null
  },

  async postReply(ctx, ref, reply) {
    const thread = slackRef(ref)
    const client = clientFor(ctx)
    const result = await callSlack('chat.postMessage', () => client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.threadTs,
      ...replyMessage(reply),
      unfurl_links: false,
      unfurl_media: false,
    }))
    if (!result.ts) throw new PermanentError('Slack chat.postMessage failed: the answer has no ts', { service: 'Slack' })
    return { id: result.ts }
  },

  async updateReply(ctx, ref, replyId, reply) {
    const thread = slackRef(ref)
    const client = clientFor(ctx)
    await callSlack('chat.update', () => client.chat.update({ channel: thread.channel, ts: replyId, ...replyMessage(reply) }))
  },

  async react(ctx, ref, reaction) {
    const thread = slackRef(ref)
    const client = clientFor(ctx)
    await unlessCode('already_reacted', () => callSlack('reactions.add', () => client.reactions.add({ channel: thread.channel, timestamp: thread.messageTs, name: reaction })))
    return 'done'
  },

  async unreact(ctx, ref, reaction) {
    const thread = slackRef(ref)
    const client = clientFor(ctx)
    // `no_reaction`: not there, or not ours; either way there is nothing of ours to take off.
    await unlessCode('no_reaction', () => callSlack('reactions.remove', () => client.reactions.remove({ channel: thread.channel, timestamp: thread.messageTs, name: reaction })))
    return 'done'
  },

  async lookupUsers(ctx, ref, ids) {
    const users = ids.filter(id => SLACK_USER_ID.test(id))
    try {
      return await lookupSlackUsers(clientFor(ctx), slackRef(ref).workspaceId, users, ctx.signal)
    }
    catch (error) {
      // The whole round failed (no token, no client): nothing said about these people themselves.
      return users.map(sourceUserId => ({ sourceUserId, error: messageOf(error), lasting: false }))
    }
  },
}

/** The text and the metadata carrying the marker (findReply looks for it; our own messages never trigger). */
function replyMessage(reply: ReplyContent) {
  return { text: formatSlackReply(reply), metadata: slackReplyMetadata(reply.marker) }
}

/** Runs `call`; Slack answering `code` means the wanted state already holds. */
async function unlessCode(code: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call()
  }
  catch (error) {
    if (error instanceof PermanentError && error.code === code) return
    throw error
  }
}
