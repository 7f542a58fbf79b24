import { getDiscubotDiscussionByThread, insertDiscussionIfAbsent } from '../../../collections/discussions/server/database/queries'
import { PermanentError } from '../../utils/errors'
import { loadConfig, updateDiscussion } from '../stage-data'
import type { Stage } from '../types'

/** Loads the team's source config, saves (or finds) the thread's discussion and links it to the job. */
export const configLoadingStage: Stage<'config_loading'> = {
  name: 'config_loading',
  async run(ctx) {
    const { config, stored } = await loadConfig(ctx)
    if (!config.active) throw new PermanentError(`Source config "${config.name}" is deactivated`)
    // A pasted conversation borrows any config's analyzer and task target; a webhook's thread is its source's.
    if (ctx.input.sourceType !== 'manual' && config.sourceType !== ctx.input.sourceType) {
      throw new PermanentError(`Source config "${config.name}" is for ${config.sourceType}, not ${ctx.input.sourceType}`)
    }
    const configId = stored ? config.id : null

    // The insert is fenced like every worker write; the read below then finds ours or the existing row.
    await ctx.fenced([insertDiscussionIfAbsent(ctx.job.teamId, configId, ctx.input)])
    const discussion = await getDiscubotDiscussionByThread(ctx.job.teamId, ctx.input.sourceType, ctx.input.sourceThreadId)
    if (!discussion) throw new Error('The discussion row vanished right after it was written')

    return {
      output: { configId, discussionId: discussion.id },
      writes: [updateDiscussion(ctx, discussion.id, { syncJobId: ctx.job.id, sourceConfigId: configId, status: 'processing', error: null, completedAt: null })],
      jobPatch: { discussionId: discussion.id, sourceConfigId: configId },
    }
  },
}
