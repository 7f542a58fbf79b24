// A modest refresh loop for live pages. useTimeoutPoll starts the next wait when a refresh is
// done, so a slow server never gets a pile of them. Paused while the tab is hidden or `enabled`
// is false; a new pace applies at once (a retry was queued: poll quickly now, not after the slow wait).
import { useDocumentVisibility, useTimeoutPoll } from '@vueuse/core'

export function usePolling(refresh: () => Promise<unknown>, intervalMs: MaybeRefOrGetter<number>, enabled: MaybeRefOrGetter<boolean> = true) {
  if (import.meta.server) return
  const visibility = useDocumentVisibility()
  const { pause, resume } = useTimeoutPoll(async () => {
    await refresh().catch(() => {})
  }, intervalMs, { immediate: false })
  watch([() => toValue(enabled) && visibility.value === 'visible', () => toValue(intervalMs)], ([on]) => {
    pause()
    if (on) resume()
  }, { immediate: true })
}
