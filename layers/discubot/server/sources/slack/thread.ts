// Reading a whole Slack thread: conversations.replies page after page until the cursor runs out.
import type { WebClient } from '@slack/web-api'
import type { SlackThreadRef, ThreadMessage } from '../../../shared/schemas'
import { PermanentError } from '../../utils/errors'
import { callSlack } from './client'

/** Slack's recommended page size; apps limited to 15 per page simply get more pages. */
export const REPLIES_PAGE_LIMIT = 200
/** A runaway cursor must not spin forever (200 pages × 200 = 40,000 messages). */
export const MAX_REPLY_PAGES = 200

/** The fields of a conversations.replies message we read (the SDK's type omits some). */
export interface SlackApiMessage {
  ts?: string
  user?: string
  username?: string
  bot_id?: string
  subtype?: string
  text?: string
  bot_profile?: { name?: string }
  metadata?: { event_type?: string, event_payload?: Record<string, unknown> }
}

export interface SlackThreadPages {
  messages: SlackApiMessage[]
  pages: number
}

function tsParts(ts: string): [number, number] {
  const [sec = '0', frac = ''] = ts.split('.')
  return [Number(sec), Number(frac.padEnd(9, '0').slice(0, 9))]
}

/** Orders Slack timestamps ("seconds.micro" strings) exactly: a float would lose the micros. */
export function compareSlackTs(a: string, b: string): number {
  const [aSec, aFrac] = tsParts(a)
  const [bSec, bFrac] = tsParts(b)
  return aSec - bSec || aFrac - bFrac
}

export function slackTsToIso(ts: string): string {
  const [sec, frac] = tsParts(ts)
  return new Date(sec * 1000 + Math.floor(frac / 1_000_000)).toISOString()
}

/**
 * Every page of conversations.replies through the SDK's cursor pagination. The guards stay ours:
 * a runaway cursor must not spin forever, and a cursor that repeats is a loop, not more messages.
 */
export async function readSlackThread(client: WebClient, ref: SlackThreadRef, options: { includeMetadata?: boolean, signal?: AbortSignal, onPage?: (page: number, messagesSoFar: number) => void } = {}): Promise<SlackThreadPages> {
  const byTs = new Map<string, SlackApiMessage>()
  const args = {
    channel: ref.channel,
    ts: ref.threadTs,
    limit: REPLIES_PAGE_LIMIT,
    ...(options.includeMetadata ? { include_all_metadata: true } : {}),
  }
  let pages = 0
  let previousCursor: string | undefined
  await callSlack('conversations.replies', async () => {
    for await (const page of client.paginate('conversations.replies', args)) {
      options.signal?.throwIfAborted()
      pages++
      // The parent may come again on later pages: the first copy wins.
      for (const message of ((page as { messages?: SlackApiMessage[] }).messages ?? [])) {
        if (message.ts && !byTs.has(message.ts)) byTs.set(message.ts, message)
      }
      options.onPage?.(pages, byTs.size)
      const next = page.response_metadata?.next_cursor || undefined
      if (!next) break
      if (next === previousCursor) {
        throw new PermanentError('Slack conversations.replies failed: the same next_cursor came back twice', { service: 'Slack', code: 'cursor_loop' })
      }
      if (pages >= MAX_REPLY_PAGES) {
        throw new PermanentError(`Slack conversations.replies failed: thread ${ref.threadTs} has more than ${MAX_REPLY_PAGES} pages`, { service: 'Slack', code: 'too_many_pages' })
      }
      previousCursor = next
    }
  })
  const messages = [...byTs.values()].sort((a, b) => compareSlackTs(a.ts!, b.ts!))
  return { messages, pages }
}

export function toThreadMessage(message: SlackApiMessage): ThreadMessage {
  const ts = message.ts!
  const authorId = message.user ?? message.bot_id
  return {
    id: ts,
    author: message.user ?? message.username ?? message.bot_profile?.name ?? message.bot_id ?? 'unknown',
    ...(authorId ? { authorId } : {}),
    text: message.text ?? '',
    timestamp: slackTsToIso(ts),
    isBot: Boolean(message.bot_id || message.subtype === 'bot_message'),
  }
}
