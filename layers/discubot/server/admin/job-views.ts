// How jobs and stage rows leave the server: without the lease token (a worker's fence, nobody
// else's business) and, in summaries, without the payload.
import type { DiscubotJob, DiscubotJobStage } from '../../collections/jobs/server/database/schema'
import type { JobSummary, PublicJob, PublicJobStage } from '../../shared/api'

export function publicJob(job: DiscubotJob): PublicJob {
  const { leaseToken: _fence, ...rest } = job
  return rest
}

export function jobSummary(job: DiscubotJob): JobSummary {
  const { leaseToken: _fence, payload, errorStack: _stack, threadKey: _key, ...rest } = job
  return { ...rest, title: payload.title }
}

export function publicStage(stage: DiscubotJobStage): PublicJobStage {
  const { leaseToken: _fence, ...rest } = stage
  return rest
}
