// A task of the local task list (the link the local sink hands out points here), with the
// discussion it came from.
import { getDiscubotTasksByIds } from '../../collections/tasks/server/database/queries'
import { getDiscubotDiscussionsByIds } from '../../collections/discussions/server/database/queries'
import type { TaskDetail } from '../../shared/api'

export async function getTaskDetail(teamId: string, taskId: string): Promise<TaskDetail | undefined> {
  const [task] = await getDiscubotTasksByIds(teamId, [taskId])
  if (!task) return undefined
  const [discussion] = await getDiscubotDiscussionsByIds(teamId, [task.discussionId])
  return {
    task,
    discussion: discussion
      ? { id: discussion.id, title: discussion.title, status: discussion.status, sourceType: discussion.sourceType, sourceUrl: discussion.sourceUrl, aiSummary: discussion.aiSummary }
      : null,
  }
}
