// Discard, cancel and retry (with options) from the jobs list and the job page: the button that
// started a request stays busy while it runs, and a toast says what happened.
import type { RetryOptions } from '#layers/discubot/shared/admin-input'
import type { BulkDiscardResult, CancelResult, DiscardResult, RetryQueued, Serialized } from '#layers/discubot/shared/api'

export const RETRY_CHOICES: { label: string, description: string, icon: string, options: RetryOptions }[] = [
  { label: 'Retry', description: 'Reuse the stored thread and analysis', icon: 'i-lucide-rotate-ccw', options: {} },
  { label: 'Fetch the thread again', description: 'Read the thread from the source again', icon: 'i-lucide-download', options: { refetchThread: true } },
  { label: 'Analyse again', description: 'Run the analysis again on the stored thread', icon: 'i-lucide-sparkles', options: { reanalyze: true } },
  { label: 'Fetch and analyse again', description: 'Start over from the source', icon: 'i-lucide-refresh-cw', options: { refetchThread: true, reanalyze: true } },
]

export function useJobControls() {
  const toast = useToast()
  const api = useNuxtApp().$api as typeof $fetch
  const { isBusy, run } = useKeyedActions()

  const discard = (jobId: string) => run(jobId, 'Could not discard', async () => {
    const result = await api<Serialized<DiscardResult>>(`/api/jobs/${jobId}/discard`, { method: 'POST' })
    toast.add({ title: 'Job discarded', description: 'It left the Failed view; find it under Discarded.', color: 'neutral', icon: 'i-lucide-archive' })
    return result
  })

  const discardMany = (ids: string[]) => run('bulk-discard', 'Could not discard', async () => {
    const { results } = await api<Serialized<BulkDiscardResult>>('/api/jobs/discard', { method: 'POST', body: { ids } })
    const done = results.filter(result => result.discarded !== undefined).length
    const refused = results.filter(result => result.error)
    toast.add({ title: `${done} ${done === 1 ? 'job' : 'jobs'} discarded`, description: refused.length ? `${refused.length} not: ${[...new Set(refused.map(r => r.error))].join(' ')}` : 'Find them under Discarded.', color: refused.length ? 'warning' : 'neutral', icon: 'i-lucide-archive' })
    return results
  })

  const cancel = (jobId: string) => run(jobId, 'Could not cancel', async () => {
    const result = await api<Serialized<CancelResult>>(`/api/jobs/${jobId}/cancel`, { method: 'POST' })
    toast.add(result.status === 'cancelled'
      ? { title: 'Job cancelled', color: 'neutral', icon: 'i-lucide-octagon-x' }
      : { title: 'Cancel requested', description: result.message, color: 'info', icon: 'i-lucide-octagon-x' })
    return result
  })

  const retry = (jobId: string, options: RetryOptions = {}) => run(jobId, 'Could not retry', async () => {
    const { jobId: newJobId } = await api<Serialized<RetryQueued>>(`/api/jobs/${jobId}/retry`, { method: 'POST', body: options })
    toast.add({
      title: 'Retry queued',
      color: 'success',
      icon: 'i-lucide-rotate-ccw',
      actions: [{ label: 'Watch the job', to: `/jobs/${newJobId}`, color: 'neutral', variant: 'outline' }],
    })
    return newJobId
  })

  return { isBusy, discard, discardMany, cancel, retry }
}
