// Percentiles of latency samples. Nearest-rank on a sorted copy: with a few hundred samples the
// interpolation method changes nothing that matters next to the machine's noise.

export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

export function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6
}

/** Runs `work` `runs` times after `warmup` unmeasured runs; the samples are milliseconds. */
export async function sample(work: () => Promise<unknown>, runs: number, warmup = Math.min(10, runs)): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await work()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint()
    await work()
    samples.push(elapsedMs(started))
  }
  return summarize(samples)
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))
