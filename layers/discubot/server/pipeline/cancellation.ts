// The runner's question before each stage: did someone cancel this job? (See cancel.ts.)
import { PermanentError } from '../utils/errors'
import { SYSTEM_USER_ID } from '../utils/constants'
import { getCancelRequest, type JobRef } from '../../collections/jobs/server/database/lifecycle'
import { getDiscubotUserName } from '../../collections/teams/server/database/user-names'

export const CANCEL_CODE = 'cancelled'

/** The error a cancelled job fails with ("Cancelled by Dana Lee"), or null. One primary-key read. */
export async function cancellation(job: JobRef): Promise<PermanentError | null> {
  const request = await getCancelRequest(job)
  if (!request) return null
  const name = request.by === SYSTEM_USER_ID ? 'Discubot' : await getDiscubotUserName(request.by) ?? 'a former member'
  return new PermanentError(`Cancelled by ${name}`, { code: CANCEL_CODE })
}
