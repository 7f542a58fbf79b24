import { eq } from 'drizzle-orm'
import { discubotTasks } from '../../../collections/tasks/server/database/schema'
import { SYSTEM_USER_ID } from '../../utils/constants'
import { PermanentError } from '../../utils/errors'
import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import { taskIdempotencyKey } from '../task-key'
import type { Analysis } from '../../../shared/schemas'
import type { Stage } from '../types'

/**
 * One page per detected task, exactly once: the task row is written as an intent before the sink
 * is called, and an intent that already existed (an earlier attempt or job) is first looked up in
 * the sink by its marker, so a crash between the sink's answer and our commit never duplicates.
 */
export const taskCreationStage: Stage<'task_creation'> = {
  name: 'task_creation',
  async run(ctx) {
    const discussion = await loadDiscussion(ctx)
    if (!discussion.aiTasks) throw new PermanentError('No analysis is stored for this discussion')
    const analysis: Analysis = { summary: discussion.aiSummary ?? '', actionItems: discussion.aiActionItems ?? [], tasks: discussion.aiTasks }
    const { config, secrets } = await loadConfig(ctx)
    const sink = ctx.services.taskSink(config, secrets, ctx.settings)
    const multi = analysis.tasks.length > 1
    const taskIds: string[] = []
    let created = 0
    let reused = 0

    for (const [index, task] of analysis.tasks.entries()) {
      const idempotencyKey = taskIdempotencyKey(discussion.id, task.title)
      const id = crypto.randomUUID()
      const intent = ctx.db.insert(discubotTasks).values({
        id,
        teamId: ctx.job.teamId,
        discussionId: discussion.id,
        jobId: ctx.job.id,
        idempotencyKey,
        title: task.title,
        description: task.description,
        priority: task.priority,
        assignee: task.assignee,
        dueDate: task.dueDate ?? null,
        summary: analysis.summary,
        sourceUrl: discussion.sourceUrl,
        isMultiTaskChild: multi,
        taskIndex: index,
        status: 'pending',
        createdBy: SYSTEM_USER_ID,
        updatedBy: SYSTEM_USER_ID,
      }).onConflictDoNothing({ target: discubotTasks.idempotencyKey })
      await ctx.fenced([intent])
      const [row] = await ctx.db.select().from(discubotTasks).where(eq(discubotTasks.idempotencyKey, idempotencyKey))
      if (!row) throw new Error(`Task intent ${idempotencyKey} vanished right after it was written`)
      taskIds.push(row.id)
      if (row.status === 'created') {
        reused++
        continue
      }

      const taskIntent = { ...task, taskId: row.id, idempotencyKey, sourceUrl: discussion.sourceUrl, discussionTitle: discussion.title }
      const intentExisted = row.id !== id
      const found = intentExisted ? await sink.findExisting(taskIntent, { signal: ctx.signal }) : null
      const page = found ?? await sink.create(taskIntent, analysis, { signal: ctx.signal })
      await ctx.hold('task_creation:after-create')
      await ctx.fenced([
        ctx.db.update(discubotTasks).set({
          status: 'created',
          notionPageId: page.pageId,
          notionPageUrl: page.url,
          updatedBy: SYSTEM_USER_ID,
          updatedAt: new Date(),
        }).where(eq(discubotTasks.id, row.id)),
      ])
      if (found) reused++
      else created++
    }

    return {
      output: { taskIds, created, reused, sink: sink.name },
      writes: [updateDiscussion(ctx, discussion.id, { notionTaskIds: taskIds })],
    }
  },
}
