// A discussion as its detail page shows it: the thread, the analysis, the tasks and every job.
import { getDiscubotDiscussionsByIds } from '../../collections/discussions/server/database/queries'
import { getDiscubotJobsByDiscussion } from '../../collections/jobs/server/database/queries'
import { getDiscubotTasksByDiscussion } from '../../collections/tasks/server/database/queries'
import type { DiscussionDetail } from '../../shared/api'
import { jobSummary } from './job-views'

export async function getDiscussionDetail(teamId: string, discussionId: string): Promise<DiscussionDetail | undefined> {
  const [discussion] = await getDiscubotDiscussionsByIds(teamId, [discussionId])
  if (!discussion) return undefined
  const [tasks, jobs] = await Promise.all([
    getDiscubotTasksByDiscussion(teamId, discussionId),
    getDiscubotJobsByDiscussion(teamId, discussionId),
  ])
  // Newest first: the job that decides the discussion's status leads.
  return { discussion, tasks, jobs: jobs.map(jobSummary).reverse() }
}
