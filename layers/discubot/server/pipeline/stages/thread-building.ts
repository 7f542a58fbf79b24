import { resolveThreadPeople } from '../../people/thread-people'
import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import { reusesStored } from '../reuse'
import type { Stage } from '../types'

/**
 * Fetches the whole thread through the source adapter and names its people (cached source users,
 * committed with the checkpoint); a retry reuses the thread already stored unless asked to fetch it again.
 */
export const threadBuildingStage: Stage<'thread_building'> = {
  name: 'thread_building',
  async run(ctx) {
    const discussion = await loadDiscussion(ctx)
    if (reusesStored(ctx, 'thread') && discussion.threadData) {
      return { output: { messages: discussion.threadData.messages.length, pages: discussion.threadData.pages, reused: true } }
    }
    const { config, secrets } = await loadConfig(ctx)
    const adapter = ctx.services.source(ctx.input.sourceType)
    const onPage = (page: number, messages: number) => ctx.progress(null, `fetched page ${page} of the thread (${messages} messages so far)`)
    const call = { config, secrets, settings: ctx.settings, signal: ctx.signal }
    const fetched = await adapter.fetchThread({ ...call, onPage }, ctx.input.thread)
    ctx.progress(1, `thread fetched: ${fetched.messages.length} messages`)
    const { thread, writes, startedBy } = await resolveThreadPeople({ teamId: ctx.job.teamId, sourceType: ctx.input.sourceType, ref: ctx.input.thread, thread: fetched, adapter, call })
    return {
      output: { messages: thread.messages.length, pages: thread.pages, reused: false },
      writes: [updateDiscussion(ctx, discussion.id, { threadData: thread, ...(startedBy ? { authorHandle: startedBy } : {}) }), ...writes],
    }
  },
}
