import { getDiscubotTasksByIds } from '../../../collections/tasks/server/database/queries'
import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import type { Stage } from '../types'

/**
 * Replies in the source thread with the tasks' links, then finalizes the discussion. The reply
 * carries the chain's marker; when an earlier attempt may have posted it, we look for it first.
 * A source without a thread to answer (a pasted conversation) records that it skipped the reply.
 */
export const notificationStage: Stage<'notification'> = {
  name: 'notification',
  async run(ctx) {
    const discussion = await loadDiscussion(ctx)
    const taskIds = ctx.outputs.task_creation?.taskIds ?? discussion.notionTaskIds ?? []
    const finished = updateDiscussion(ctx, discussion.id, { status: 'completed', completedAt: new Date(), error: null })
    const adapter = ctx.services.source(ctx.input.sourceType)
    if (!adapter.replies) {
      return { output: { skipped: 'No thread to reply to (a pasted conversation)' }, writes: [finished], jobMetadata: { taskIds } }
    }

    const { config, secrets } = await loadConfig(ctx)
    const known = ctx.cache.tasks
    const rows = known && taskIds.every(id => known.has(id))
      ? taskIds.map(id => known.get(id)!)
      : (await getDiscubotTasksByIds(ctx.job.teamId, taskIds)).map(task => ({ title: task.title, url: task.notionPageUrl ?? '', taskIndex: task.taskIndex }))
    const tasks = rows.sort((a, b) => a.taskIndex - b.taskIndex).map(task => ({ title: task.title, url: task.url }))

    const call = { config, secrets, settings: ctx.settings, signal: ctx.signal }
    const marker = `discubot:${ctx.job.metadata.rootJobId ?? ctx.job.id}`
    const existing = ctx.mayHaveRun ? await adapter.findReply(call, ctx.input.thread, marker) : null
    const reply = existing ?? await adapter.postReply(call, ctx.input.thread, { marker, summary: discussion.aiSummary ?? '', tasks })
    await ctx.hold('notification:after-post')

    return {
      output: { replyId: reply.id, replyUrl: reply.url, alreadyPosted: Boolean(existing) },
      writes: [finished],
      jobMetadata: { taskIds },
    }
  },
}
