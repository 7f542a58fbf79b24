// Delay before the next attempt: exponential with full jitter and a cap; a service's Retry-After
// wins over the computed delay (never retry earlier than asked), bounded by `maxRetryAfterMs`.

export interface BackoffPolicy {
  baseMs: number
  capMs: number
  /** Upper bound for an honoured Retry-After, so a bogus header cannot park a job for days. */
  maxRetryAfterMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 }

/** `attempt` is the number of the attempt that just failed (1 for the first). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, retryAfterMs?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  const jittered = Math.floor(random() * ceiling)
  if (retryAfterMs === undefined) return jittered
  const honoured = Math.min(retryAfterMs, policy.maxRetryAfterMs)
  // A little jitter on top of Retry-After so a burst of limited calls does not come back at once.
  return honoured + Math.floor(random() * Math.min(policy.baseMs, ceiling))
}
