// Fixed-window attempt counter held in memory: enough to slow password guessing on one instance.
// Several instances keep separate counts, so the effective limit scales with the instance count.

export interface RateLimiterOptions {
  /** Attempts allowed per key and window. */
  limit: number
  windowMs: number
  /** Keys kept at most; beyond it expired windows go first, then the oldest. */
  maxKeys?: number
  now?: () => number
}

export interface RateLimitDecision {
  allowed: boolean
  remaining: number
  /** 0 when allowed; otherwise how long until the window resets. */
  retryAfterMs: number
}

export interface RateLimiter {
  /** Counts one attempt for `key`. */
  hit(key: string): RateLimitDecision
  /** Forgets `key` (a successful sign-in clears its failures). */
  reset(key: string): void
  size(): number
}

interface Window {
  count: number
  resetAt: number
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs, maxKeys = 10_000, now = Date.now } = options
  const windows = new Map<string, Window>()

  function evict(at: number) {
    for (const [key, window] of windows) {
      if (window.resetAt <= at) windows.delete(key)
    }
    // Map iteration is insertion order: the first keys are the oldest windows.
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break
      windows.delete(key)
    }
  }

  return {
    hit(key) {
      const at = now()
      let window = windows.get(key)
      if (!window || window.resetAt <= at) {
        windows.delete(key)
        if (windows.size >= maxKeys) evict(at)
        window = { count: 0, resetAt: at + windowMs }
        windows.set(key, window)
      }
      window.count++
      const allowed = window.count <= limit
      return {
        allowed,
        remaining: Math.max(0, limit - window.count),
        retryAfterMs: allowed ? 0 : window.resetAt - at,
      }
    },
    reset(key) {
      windows.delete(key)
    },
    size: () => windows.size,
  }
}
