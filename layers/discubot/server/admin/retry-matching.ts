// "Retry all matching" on the Jobs page: the failed discussions behind the failed jobs that match
// the list's filters. A retried discussion turns pending, so each batch re-reads what is left.
import type { JobFilter } from '../../shared/admin-input'
import { countDiscubotJobs } from '../../collections/jobs/server/database/queries'
import { countDiscubotRetryMatchingDiscussions, listDiscubotRetryMatchingDiscussionIds } from '../../collections/jobs/server/database/admin-queries'
import type { BulkRetryResult, RetryMatchingPreview, RetryMatchingResult } from '../../shared/api'
import { retryDiscussions } from '../pipeline/retry'

const BATCH = 100
/** Bounds one request; the preview says when more remain and the admin can run it again. */
export const MAX_RETRY_MATCHING = 1000

export async function previewRetryMatching(teamId: string, filter: JobFilter): Promise<RetryMatchingPreview> {
  const [jobs, discussions] = await Promise.all([
    countDiscubotJobs(teamId, { ...filter, status: 'failed' }),
    countDiscubotRetryMatchingDiscussions(teamId, filter),
  ])
  return { jobs, discussions, limit: MAX_RETRY_MATCHING }
}

export async function retryMatching(teamId: string, filter: JobFilter, userId: string): Promise<RetryMatchingResult> {
  const results: BulkRetryResult['results'] = []
  const tried = new Set<string>()
  while (tried.size < MAX_RETRY_MATCHING) {
    const ids = (await listDiscubotRetryMatchingDiscussionIds(teamId, filter, BATCH + tried.size))
      .filter(id => !tried.has(id))
      .slice(0, Math.min(BATCH, MAX_RETRY_MATCHING - tried.size))
    if (ids.length === 0) break
    for (const id of ids) tried.add(id)
    results.push(...(await retryDiscussions({ teamId, ids, userId })).results)
  }
  const retried = results.filter(result => result.jobId).length
  const remaining = await countDiscubotRetryMatchingDiscussions(teamId, filter)
  return { retried, failed: results.length - retried, remaining, results }
}
