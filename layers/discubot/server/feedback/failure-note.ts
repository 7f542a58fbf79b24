// The one note a failed job chain leaves in its thread: what went wrong in plain words and a link
// to the job. Exactly once across crashes and instances, like the normal reply: the note carries
// its own marker (`discubot-failure:<rootJobId>`) and is looked up before it is posted. A later
// failure of the chain brings the note up to date; a later success marks it fixed (where the
// source can edit a message).
import { failureNotePayloadSchema } from '../../shared/outbox'
import type { NoteReplyContent } from '../sources/types'
import { sourceServiceName } from './failure-words'
import { threadCall } from './thread-call'
import type { Deliverer } from './types'

export const deliverFailureNote: Deliverer = async (item, ctx) => {
  const payload = failureNotePayloadSchema.parse(item.payload)
  const adapter = ctx.services.source(payload.sourceType)
  const call = await threadCall(item.teamId, payload.configId, ctx)
  const fixed = payload.state === 'fixed'
  if (!fixed && !call.config.failureNotes) return { status: 'skipped', error: `Failure notes are switched off for the source "${call.config.name}"` }

  const note: NoteReplyContent = { kind: 'note', marker: payload.marker, text: payload.text, link: { url: payload.link, label: 'Open the job in Discubot' }, resolved: fixed }
  const existing = await adapter.findReply(call, payload.thread, payload.marker)
  const result = { noteId: existing?.id ?? null, jobId: payload.jobId, state: payload.state }
  if (fixed) {
    if (!existing) return { status: 'skipped', result, error: 'No failure note was posted, so there is nothing to mark fixed' }
    if (!adapter.updateReply) return { status: 'skipped', result, error: `${sourceServiceName(payload.sourceType)} messages cannot be edited; the retry's reply says it worked` }
    await adapter.updateReply(call, payload.thread, existing.id, note)
    return { status: 'delivered', result }
  }
  if (existing) {
    // A later failure of the chain: the note is brought up to the latest job (after a crash
    // between posting and recording, the same words again: harmless).
    const noted = (item.result as { jobId?: string } | null)?.jobId
    if (noted !== payload.jobId) await adapter.updateReply?.(call, payload.thread, existing.id, note)
    return { status: 'delivered', result }
  }
  const posted = await adapter.postReply(call, payload.thread, note)
  await ctx.hold('failure_note:after-post')
  return { status: 'delivered', result: { ...result, noteId: posted.id } }
}
