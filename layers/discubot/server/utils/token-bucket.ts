// A token bucket per key (e.g. per Notion integration token), shared by every caller in the
// process, so concurrent workers together stay under a service's documented request rate.

export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  }),
}

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number
  /** Largest burst; the bucket starts full. */
  capacity: number
  clock?: Clock
}

export class TokenBucket {
  private tokens: number
  private updatedAt: number
  /** Callers waiting in line: a token is granted in arrival order. */
  private queue: Promise<void> = Promise.resolve()
  private readonly clock: Clock

  constructor(private readonly options: TokenBucketOptions) {
    this.clock = options.clock ?? systemClock
    this.tokens = options.capacity
    this.updatedAt = this.clock.now()
  }

  /** Resolves when the caller may send one request; rejects if `signal` aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal))
    // A caller that gave up must not block the ones behind it.
    this.queue = turn.catch(() => {})
    return turn
  }

  private refill() {
    const now = this.clock.now()
    const elapsed = Math.max(0, now - this.updatedAt)
    this.tokens = Math.min(this.options.capacity, this.tokens + elapsed * this.options.ratePerSecond / 1000)
    this.updatedAt = now
  }

  private async take(signal?: AbortSignal) {
    for (;;) {
      signal?.throwIfAborted()
      this.refill()
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      const waitMs = Math.ceil((1 - this.tokens) * 1000 / this.options.ratePerSecond)
      await this.clock.sleep(waitMs, signal)
    }
  }
}

/** One bucket per key, created on first use with the same options. */
export function keyedLimiter(options: TokenBucketOptions) {
  const buckets = new Map<string, TokenBucket>()
  return {
    acquire(key: string, signal?: AbortSignal) {
      let bucket = buckets.get(key)
      if (!bucket) buckets.set(key, bucket = new TokenBucket(options))
      return bucket.acquire(signal)
    },
  }
}
