// Cancelling a job that has not finished. A pending (or delayed) job is claimed at once, exactly
// as a worker would claim it, and run: the runner's first step for every stage is the cancel
// check, so the job fails "Cancelled by <name>" through the runner's own fenced failure path
// (stage row, discussion, task intents). A job a worker holds is asked to stop: its runner fails
// it the same way before its next stage. Either way the discussion can be retried afterwards.
import { useSettings } from '../utils/settings'
import { claimPendingJob, requestJobCancel } from '../../collections/jobs/server/database/lifecycle'
import { getDiscubotJobsByIds } from '../../collections/jobs/server/database/queries'
import type { CancelResult } from '../../shared/api'
import { JobControlError } from './job-control-error'
import { runJob } from './runner'
import { defaultServices } from './services'

export const STOPS_AT_NEXT_STAGE = 'It is being worked on; it will stop at the next stage'

export async function cancelJob({ teamId, jobId, userId }: { teamId: string, jobId: string, userId: string }): Promise<CancelResult> {
  const was = await requestJobCancel(teamId, jobId, userId)
  if (!was) {
    const [job] = await getDiscubotJobsByIds(teamId, [jobId])
    if (!job) throw new JobControlError(404, 'Job not found')
    throw new JobControlError(422, `Only a pending or running job can be cancelled; this one is ${job.status}`)
  }
  if (was === 'pending') {
    const workerId = `${useSettings().instanceId}/cancel`
    const claimed = await claimPendingJob(jobId, { workerId, leaseMs: useSettings().leaseMs })
    if (claimed && await runJob(claimed, { services: defaultServices, workerId }) === 'failed') return { status: 'cancelled', jobId }
  }
  // A worker holds it (or took it between our two statements): its runner stops it at the next stage.
  return { status: 'cancelling', jobId, message: STOPS_AT_NEXT_STAGE }
}
