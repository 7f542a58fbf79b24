// Retrying from any page: the button that started it stays disabled while the request runs, and
// a toast says what happened (with a link to watch the new job).
import type { JobFilter } from '#layers/discubot/shared/admin-input'
import type { BulkRetryResult, RetryMatchingPreview, RetryMatchingResult, RetryQueued, Serialized } from '#layers/discubot/shared/api'

export function useRetry() {
  const toast = useToast()
  const api = useNuxtApp().$api as typeof $fetch
  const { isBusy: isRunning, run } = useKeyedActions()

  function reportBulk(result: Serialized<BulkRetryResult>) {
    const queued = result.results.filter(r => r.jobId).length
    const refused = result.results.filter(r => r.error)
    if (queued) toast.add({ title: `${queued} ${queued === 1 ? 'retry' : 'retries'} queued`, color: 'success', icon: 'i-lucide-rotate-ccw' })
    if (refused.length) {
      toast.add({ title: `${refused.length} not retried`, description: [...new Set(refused.map(r => r.error))].join(' '), color: 'warning', icon: 'i-lucide-triangle-alert' })
    }
  }

  /** Retries one failed discussion; resolves to the new job's id, or undefined when refused. */
  const retryDiscussion = (discussionId: string) => run(discussionId, 'Could not retry', async () => {
    const { jobId } = await api<Serialized<RetryQueued>>(`/api/discussions/${discussionId}/retry`, { method: 'POST' })
    toast.add({
      title: 'Retry queued',
      description: 'A new job is running this discussion again.',
      color: 'success',
      icon: 'i-lucide-rotate-ccw',
      actions: [{ label: 'Watch the job', to: `/jobs/${jobId}`, color: 'neutral', variant: 'outline' }],
    })
    return jobId
  })

  const retryDiscussions = (ids: string[]) => run('bulk', 'Could not retry', async () => {
    const result = await api<Serialized<BulkRetryResult>>('/api/discussions/retry', { method: 'POST', body: { ids } })
    reportBulk(result)
    return result
  })

  /** What "retry all matching" would queue; throws, so the dialog can say why it cannot count. */
  const previewMatching = (filter: JobFilter) => api<Serialized<RetryMatchingPreview>>('/api/jobs/retry-matching', { method: 'POST', body: { ...filter, dryRun: true } })

  const retryMatching = (filter: JobFilter) => run('matching', 'Could not retry', async () => {
    const result = await api<Serialized<RetryMatchingResult>>('/api/jobs/retry-matching', { method: 'POST', body: filter })
    reportBulk(result)
    if (result.remaining) toast.add({ title: `${result.remaining} more match`, description: 'Run "Retry all matching" again to queue them.', color: 'info' })
    return result
  })

  return { isRunning, retryDiscussion, retryDiscussions, previewMatching, retryMatching }
}
