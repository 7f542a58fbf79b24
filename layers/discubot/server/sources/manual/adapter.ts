// A conversation pasted in the admin, behind the SourceAdapter interface: its thread is the
// messages the job carries (the `manual` thread ref), and there is nowhere to reply.
import type { ManualThreadRef, ThreadRef } from '../../../shared/schemas'
import { PermanentError } from '../../utils/errors'
import type { SourceAdapter } from '../types'

function manualRef(ref: ThreadRef): ManualThreadRef {
  if (ref.kind !== 'manual') throw new PermanentError(`A pasted conversation cannot handle a ${ref.kind} thread`)
  return ref
}

export const manualAdapter: SourceAdapter = {
  sourceType: 'manual',
  replies: false,

  async identify() {
    throw new PermanentError('A pasted conversation has no account on any source')
  },

  async fetchThread(_ctx, ref) {
    const { messages, pastedAt } = manualRef(ref)
    return {
      messages: messages.map((message, index) => ({ id: String(index + 1), author: message.author, text: message.text, timestamp: pastedAt })),
      fetchedAt: new Date().toISOString(),
      pages: 1,
    }
  },

  async findReply() {
    return null
  },

  async postReply() {
    throw new PermanentError('A pasted conversation has no thread to reply to')
  },
}
