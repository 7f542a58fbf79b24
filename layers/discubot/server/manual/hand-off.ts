// A pasted conversation enters the pipeline like a webhook's discussion: the discussion (with the
// pasted thread) and its job commit in ONE batch before the answer, and derived ids make a double
// submit one job. The same conversation pasted again later (same config) is the same discussion,
// worked by a new job — like a thread mentioned again — so its tasks are never created twice.
import { createHash } from 'node:crypto'
import { useDb } from '../utils/db'
import { useSettings } from '../utils/settings'
import { derivedId } from '../utils/derived-id'
import { notifyJobQueued } from '../pipeline/wakeup'
import { enqueueJob } from '../../collections/jobs/server/database/lifecycle'
import { getDiscubotJobsByIds } from '../../collections/jobs/server/database/queries'
import { getDiscubotDiscussionByThread, insertDiscussionIfAbsent, markDiscussionQueued } from '../../collections/discussions/server/database/queries'
import { CONTENT_MAX_CHARS, titleFrom, truncate } from '../sources/text'
import type { PastedConversation } from '../../shared/conversation'
import type { DiscussionInput } from '../../shared/schemas'
import type { PasteQueued } from '../../shared/api'
import { pastedConversationConfig } from './config'

export interface PasteRequest {
  teamId: string
  /** Who pasted it (the rows' createdBy). */
  userId: string
  conversation: PastedConversation
}

/** The same messages for the same config are the same conversation. */
function conversationKey(configId: string | null, conversation: PastedConversation): string {
  const digest = createHash('sha256').update(JSON.stringify([configId, conversation.messages.map(m => [m.author, m.text])])).digest('hex')
  return `pasted:${digest.slice(0, 40)}`
}

function discussionInput(conversation: PastedConversation, sourceThreadId: string, discussionId: string, pastedAt: Date): DiscussionInput {
  const first = conversation.messages[0]!
  return {
    sourceType: 'manual',
    sourceThreadId,
    // No source to open: the task pages link back to the discussion in Discubot.
    sourceUrl: `${useSettings().publicBaseUrl.replace(/\/+$/, '')}/discussions/${discussionId}`,
    title: conversation.title || titleFrom(first.text, 'Pasted conversation'),
    content: truncate(first.text, CONTENT_MAX_CHARS),
    authorHandle: first.author,
    thread: { kind: 'manual', pastedAt: pastedAt.toISOString(), messages: conversation.messages },
  }
}

export async function acceptPastedConversation({ teamId, userId, conversation }: PasteRequest): Promise<PasteQueued> {
  const { stored, config } = await pastedConversationConfig(teamId, conversation.configId)
  const configId = stored ? config.id : null
  const sourceThreadId = conversationKey(configId, conversation)
  const existing = await getDiscubotDiscussionByThread(teamId, 'manual', sourceThreadId)
  const [current] = existing?.syncJobId ? await getDiscubotJobsByIds(teamId, [existing.syncJobId]) : []
  // Still being worked: a second submit joins it.
  if (existing && current && (current.status === 'pending' || current.status === 'processing')) {
    return { jobId: current.id, discussionId: existing.id, created: false }
  }

  const discussionId = existing?.id ?? derivedId('pasted-discussion', teamId, sourceThreadId)
  const previousJobId = existing?.syncJobId ?? null
  const jobId = derivedId('pasted-job', discussionId, previousJobId ?? '')
  const now = new Date()
  const input = discussionInput(conversation, sourceThreadId, discussionId, now)
  const [, [inserted]] = await useDb().batch([
    insertDiscussionIfAbsent(teamId, configId, input, { id: discussionId, status: 'pending', createdBy: userId }),
    enqueueJob({ id: jobId, teamId, sourceConfigId: configId, discussionId, payload: input, metadata: {}, createdBy: userId }, now),
    // Job and discussion point at each other: the link is set once both rows exist.
    markDiscussionQueued(teamId, discussionId, jobId, previousJobId, userId, now),
  ])
  const created = Boolean(inserted)
  if (created) notifyJobQueued()
  return { jobId, discussionId, created }
}
