import { getDiscubotTaskByIdempotencyKey, markTaskCreated, recordTaskIntent } from '../../../collections/tasks/server/database/queries'
import { recordConfigTargetFindings } from '../../../collections/configs/server/database/queries'
import { PermanentError } from '../../utils/errors'
import { loadConfig, loadDiscussion, updateDiscussion } from '../stage-data'
import { taskIdempotencyKey } from '../task-key'
import { resolveTaskAssignees } from '../../people/task-assignees'
import type { Analysis } from '../../../shared/schemas'
import type { Stage, Write } from '../types'

/**
 * One page per detected task, exactly once: the task row is written as an intent before the sink
 * is called, and an intent that already existed (an earlier attempt or job) is first looked up in
 * the sink by its marker, so a crash between the sink's answer and our commit never duplicates.
 */
export const taskCreationStage: Stage<'task_creation'> = {
  name: 'task_creation',
  async run(ctx) {
    const { teamId } = ctx.job
    const discussion = await loadDiscussion(ctx)
    if (!discussion.aiTasks) throw new PermanentError('No analysis is stored for this discussion')
    const analysis: Analysis = { summary: discussion.aiSummary ?? '', actionItems: discussion.aiActionItems ?? [], tasks: discussion.aiTasks }
    const loaded = await loadConfig(ctx)
    const { config, secrets, policy } = loaded
    const sink = ctx.services.taskSink(config, secrets, ctx.settings, policy)
    const target = analysis.tasks.length ? await sink.prepare({ signal: ctx.signal }) : undefined
    const people = await resolveTaskAssignees({ teamId, sourceType: ctx.input.sourceType, ref: ctx.input.thread, thread: discussion.threadData, tasks: analysis.tasks, sink, fenced: ctx.fenced, signal: ctx.signal })
    const multi = analysis.tasks.length > 1
    const taskIds: string[] = []
    let created = 0
    let reused = 0
    // A page's confirmation rides with the next task's intent (or the checkpoint): one
    // transaction per task. Until it commits, the intent stays pending and a resumed run looks the
    // page up by its marker before creating anything — the same as after a crash right after create.
    let confirmation: Write[] = []
    const known = new Map<string, { title: string, url: string, taskIndex: number }>()
    ctx.cache.tasks = known

    for (const [index, detected] of analysis.tasks.entries()) {
      const person = people.get(index)
      const task = { ...detected, assignee: person?.name ?? detected.assignee }
      const idempotencyKey = taskIdempotencyKey(discussion.id, task.title)
      const id = crypto.randomUUID()
      await ctx.fenced([...confirmation, recordTaskIntent({
        id,
        teamId,
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
      })])
      confirmation = []
      const row = await getDiscubotTaskByIdempotencyKey(teamId, idempotencyKey)
      if (!row) throw new Error(`Task intent ${idempotencyKey} vanished right after it was written`)
      taskIds.push(row.id)
      if (row.status === 'created') {
        known.set(row.id, { title: row.title, url: row.notionPageUrl ?? '', taskIndex: row.taskIndex })
        reused++
        continue
      }

      const taskIntent = { ...task, taskId: row.id, idempotencyKey, sourceUrl: discussion.sourceUrl, discussionTitle: discussion.title, assigneeNotionUserId: person?.notionUserId ?? null }
      const intentExisted = row.id !== id
      const found = intentExisted ? await sink.findExisting(taskIntent, { signal: ctx.signal }) : null
      const page = found ?? await sink.create(taskIntent, analysis, { signal: ctx.signal })
      await ctx.hold('task_creation:after-create')
      confirmation = [markTaskCreated(teamId, row.id, page)]
      known.set(row.id, { title: row.title, url: page.url, taskIndex: row.taskIndex })
      if (found) reused++
      else created++
      ctx.progress((index + 1) / analysis.tasks.length, `task ${index + 1} of ${analysis.tasks.length} ${found ? 'found already created' : 'created'}`)
    }

    const findings = target && loaded.stored && recordConfigTargetFindings(loaded.config, target)
    return {
      output: { taskIds, created, reused, sink: sink.name },
      writes: [...confirmation, updateDiscussion(ctx, discussion.id, { notionTaskIds: taskIds }), ...(findings ? [findings] : [])],
    }
  },
}
