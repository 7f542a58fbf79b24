import { PermanentError } from '../../utils/errors'
import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import { reusesStored } from '../reuse'
import type { Stage } from '../types'

/** Summary, action items and tasks from the thread; a retry reuses a stored analysis unless asked to analyse again. */
export const aiAnalysisStage: Stage<'ai_analysis'> = {
  name: 'ai_analysis',
  async run(ctx) {
    const discussion = await loadDiscussion(ctx)
    if (reusesStored(ctx, 'analysis') && discussion.aiTasks && discussion.aiSummary !== null) {
      return { output: { analyzer: 'stored', tasks: discussion.aiTasks.length, actionItems: discussion.aiActionItems?.length ?? 0, reused: true } }
    }
    if (!discussion.threadData) throw new PermanentError('The thread was not fetched before analysis')
    const { config, secrets, policy } = await loadConfig(ctx)
    const analyzer = ctx.services.analyzer(config, secrets, ctx.settings, policy)
    ctx.progress(0.1, `analysing ${discussion.threadData.messages.length} messages with ${analyzer.name}`)
    const analysis = await analyzer.analyze({
      title: discussion.title,
      sourceType: discussion.sourceType,
      sourceUrl: discussion.sourceUrl,
      thread: discussion.threadData,
    }, { signal: ctx.signal })
    return {
      output: { analyzer: analyzer.name, tasks: analysis.tasks.length, actionItems: analysis.actionItems.length, reused: false },
      writes: [updateDiscussion(ctx, discussion.id, { aiSummary: analysis.summary, aiActionItems: analysis.actionItems, aiTasks: analysis.tasks })],
    }
  },
}
