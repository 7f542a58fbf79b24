// The Jobs list: a page of jobs, each with the job that retried it (id and live status), so the
// Failed view shows at a glance which failures were already dealt with.
import type { JobListQuery, Page } from '../../shared/list-query'
import type { JobListEntry } from '../../shared/api'
import { listDiscubotJobs } from '../../collections/jobs/server/database/queries'
import { getDiscubotRetriesOfJobs } from '../../collections/jobs/server/database/admin-queries'

export async function listJobsWithRetries(teamId: string, query: JobListQuery): Promise<Page<JobListEntry>> {
  const page = await listDiscubotJobs(teamId, query)
  const retries = await getDiscubotRetriesOfJobs(teamId, page.items.map(item => item.id))
  const retryOf = new Map(retries.map(({ retryOfJobId, ...retry }) => [retryOfJobId, retry]))
  return { ...page, items: page.items.map(item => ({ ...item, retry: retryOf.get(item.id) ?? null })) }
}
