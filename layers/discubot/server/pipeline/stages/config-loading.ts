import { getDiscubotDiscussionByThread, insertDiscussionIfAbsent } from '../../../collections/discussions/server/database/queries'
import { PermanentError } from '../../utils/errors'
import { derivedId } from '../../utils/derived-id'
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
    const { teamId } = ctx.job

    // The thread's discussion, or a new one written with this stage's checkpoint. Its id is derived
    // from the thread, so whoever inserts it first (the insert keeps an existing row) made the
    // same row; a discussion from before derived ids is found by the read.
    const existing = await getDiscubotDiscussionByThread(teamId, ctx.input.sourceType, ctx.input.sourceThreadId)
    if (existing) ctx.cache.discussion = existing
    const discussionId = existing?.id ?? derivedId('discussion', teamId, ctx.input.sourceType, ctx.input.sourceThreadId)

    return {
      output: { configId, discussionId },
      writes: [
        ...(existing ? [] : [insertDiscussionIfAbsent(teamId, configId, ctx.input, { id: discussionId })]),
        updateDiscussion(ctx, discussionId, { syncJobId: ctx.job.id, sourceConfigId: configId, status: 'processing', error: null, completedAt: null }),
      ],
      jobPatch: { discussionId, sourceConfigId: configId },
    }
  },
}
