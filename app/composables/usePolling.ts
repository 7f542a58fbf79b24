// A modest refresh loop for live pages: waits for each refresh before scheduling the next, skips
// while the tab is hidden, and stops with the component.
export function usePolling(refresh: () => Promise<unknown>, intervalMs: MaybeRefOrGetter<number>, enabled: MaybeRefOrGetter<boolean> = true) {
  if (import.meta.server) return
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  const schedule = () => {
    clearTimeout(timer)
    if (stopped) return
    timer = setTimeout(async () => {
      if (toValue(enabled) && document.visibilityState === 'visible') await refresh().catch(() => {})
      schedule()
    }, toValue(intervalMs))
  }

  onMounted(schedule)
  onScopeDispose(() => {
    stopped = true
    clearTimeout(timer)
  })
}
