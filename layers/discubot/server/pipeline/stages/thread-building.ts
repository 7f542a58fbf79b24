import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import type { Stage } from '../types'

/** Fetches the whole thread through the source adapter; a retry reuses the thread already stored. */
export const threadBuildingStage: Stage<'thread_building'> = {
  name: 'thread_building',
  async run(ctx) {
    const discussion = await loadDiscussion(ctx)
    if (ctx.job.metadata.isRetry && discussion.threadData) {
      return { output: { messages: discussion.threadData.messages.length, pages: discussion.threadData.pages, reused: true } }
    }
    const { config, secrets } = await loadConfig(ctx)
    const adapter = ctx.services.source(ctx.input.sourceType)
    const thread = await adapter.fetchThread({ config, secrets, settings: ctx.settings, signal: ctx.signal }, ctx.input.thread)
    return {
      output: { messages: thread.messages.length, pages: thread.pages, reused: false },
      writes: [updateDiscussion(ctx, discussion.id, { threadData: thread })],
    }
  },
}
