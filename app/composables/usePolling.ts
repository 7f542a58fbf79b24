// A modest refresh loop for live pages: waits for each refresh before scheduling the next, skips
// while the tab is hidden or `enabled` is false, adopts a new pace at once, stops with the component.
export function usePolling(refresh: () => Promise<unknown>, intervalMs: MaybeRefOrGetter<number>, enabled: MaybeRefOrGetter<boolean> = true) {
  if (import.meta.server) return
  let timer: ReturnType<typeof setTimeout> | undefined
  let active = false

  function schedule() {
    clearTimeout(timer)
    if (active) timer = setTimeout(tick, toValue(intervalMs))
  }
  async function tick() {
    if (toValue(enabled) && document.visibilityState === 'visible') await refresh().catch(() => {})
    schedule()
  }

  onMounted(() => {
    active = true
    schedule()
  })
  // Something started moving (a retry was queued): poll at the quicker pace now, not after the slow one.
  watch(() => toValue(intervalMs), schedule)
  watch(() => toValue(enabled), on => on && schedule())
  onScopeDispose(() => {
    active = false
    clearTimeout(timer)
  })
}
