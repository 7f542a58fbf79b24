// A job as its detail page shows it: the stage rows in pipeline order, one hop of the retry chain
// each way, and the discussion it worked on.
import { STAGES } from '../../shared/domain'
import type { JobDetail } from '../../shared/api'
import { getDiscubotJobsByIds, getDiscubotJobStages } from '../../collections/jobs/server/database/queries'
import { getDiscubotJobRetries } from '../../collections/jobs/server/database/admin-queries'
import { getDiscubotDiscussionsByIds } from '../../collections/discussions/server/database/queries'
import { getDiscubotUserNames } from '../../collections/teams/server/database/user-names'
import { getOutboxItemsByKeys } from '../../collections/outbox/server/database/queries'
import { failureNoteKey, reactionsKey, rootJobIdOf } from '../pipeline/job-feedback'
import { SYSTEM_USER_ID } from '../utils/constants'
import { jobSummary, publicJob, publicStage, threadFeedbackItem } from './job-views'

export async function getJobDetail(teamId: string, jobId: string): Promise<JobDetail | undefined> {
  const [job] = await getDiscubotJobsByIds(teamId, [jobId])
  if (!job) return undefined
  const retriedBy = job.metadata.retriedBy
  const root = rootJobIdOf(job)
  const [stages, retryOf, retries, discussions, names, feedback] = await Promise.all([
    getDiscubotJobStages(teamId, jobId),
    job.retryOfJobId ? getDiscubotJobsByIds(teamId, [job.retryOfJobId]) : [],
    getDiscubotJobRetries(teamId, jobId),
    job.discussionId ? getDiscubotDiscussionsByIds(teamId, [job.discussionId]) : [],
    retriedBy && retriedBy !== SYSTEM_USER_ID ? getDiscubotUserNames([retriedBy]) : new Map<string, string>(),
    getOutboxItemsByKeys(teamId, [reactionsKey(root), failureNoteKey(root)]),
  ])
  const discussion = discussions[0]
  return {
    job: publicJob(job),
    feedback: [reactionsKey(root), failureNoteKey(root)].flatMap(key => feedback.filter(item => item.dedupeKey === key)).map(threadFeedbackItem),
    retriedByName: retriedBy ? (retriedBy === SYSTEM_USER_ID ? 'Discubot' : names.get(retriedBy) ?? 'a former member') : null,
    stages: stages.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage)).map(publicStage),
    retryOf: retryOf[0] ? jobSummary(retryOf[0]) : null,
    retries: retries.map(jobSummary),
    discussion: discussion
      ? { id: discussion.id, title: discussion.title, status: discussion.status, sourceType: discussion.sourceType, sourceUrl: discussion.sourceUrl }
      : null,
  }
}
