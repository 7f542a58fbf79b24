import { resolveThreadPeople } from '../../people/thread-people'
import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import type { Stage } from '../types'

/**
 * Fetches the whole thread through the source adapter and names its people (cached source users,
 * committed with the checkpoint); a retry reuses the thread already stored.
 */
export const threadBuildingStage: Stage<'thread_building'> = {
  name: 'thread_building',
  async run(ctx) {
    const discussion = await loadDiscussion(ctx)
    if (ctx.job.metadata.isRetry && discussion.threadData) {
      return { output: { messages: discussion.threadData.messages.length, pages: discussion.threadData.pages, reused: true } }
    }
    const { config, secrets } = await loadConfig(ctx)
    const adapter = ctx.services.source(ctx.input.sourceType)
    const call = { config, secrets, settings: ctx.settings, signal: ctx.signal }
    const fetched = await adapter.fetchThread(call, ctx.input.thread)
    const { thread, writes, startedBy } = await resolveThreadPeople({ teamId: ctx.job.teamId, sourceType: ctx.input.sourceType, ref: ctx.input.thread, thread: fetched, adapter, call })
    return {
      output: { messages: thread.messages.length, pages: thread.pages, reused: false },
      writes: [updateDiscussion(ctx, discussion.id, { threadData: thread, ...(startedBy ? { authorHandle: startedBy } : {}) }), ...writes],
    }
  },
}
