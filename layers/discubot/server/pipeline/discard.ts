// Discarding a failed job: someone looked at it and decided it needs nothing more. The job stays
// (for audit) but leaves the Failed view and every failed count; its discussion answers 422 to a
// retry until the thread is mentioned again (a new job then becomes the discussion's current one).
import { discardFailedJob } from '../../collections/jobs/server/database/lifecycle'
import { getDiscubotJobsByIds } from '../../collections/jobs/server/database/queries'
import type { BulkDiscardResult, DiscardResult } from '../../shared/api'
import { JobControlError } from './job-control-error'

export async function discardJob({ teamId, jobId, userId }: { teamId: string, jobId: string, userId: string }): Promise<DiscardResult> {
  if (await discardFailedJob(teamId, jobId, userId)) return { jobId, discarded: true }
  const [job] = await getDiscubotJobsByIds(teamId, [jobId])
  if (!job) throw new JobControlError(404, 'Job not found')
  // Discarding twice is what the first click already did.
  if (job.discardedAt) return { jobId, discarded: false }
  throw new JobControlError(422, `Only a failed job can be discarded; this one is ${job.status}`)
}

export async function discardJobs({ teamId, ids, userId }: { teamId: string, ids: string[], userId: string }): Promise<BulkDiscardResult> {
  const results: BulkDiscardResult['results'] = []
  for (const id of new Set(ids)) {
    try {
      results.push(await discardJob({ teamId, jobId: id, userId }))
    }
    catch (error) {
      if (!(error instanceof JobControlError)) throw error
      results.push({ jobId: id, error: error.message, statusCode: error.statusCode })
    }
  }
  return { results }
}
