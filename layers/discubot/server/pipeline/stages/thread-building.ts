import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import { reusesStored } from '../reuse'
import type { Stage } from '../types'

/** Fetches the whole thread through the source adapter; a retry reuses the thread already stored unless asked to fetch it again. */
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
    const thread = await adapter.fetchThread({ config, secrets, settings: ctx.settings, signal: ctx.signal, onPage }, ctx.input.thread)
    ctx.progress(1, `thread fetched: ${thread.messages.length} messages`)
    return {
      output: { messages: thread.messages.length, pages: thread.pages, reused: false },
      writes: [updateDiscussion(ctx, discussion.id, { threadData: thread })],
    }
  },
}
