// What `npm run bench` reads from the environment. 10k and 100k jobs run by default; 1M takes
// minutes to seed (and ~7.5 GB of disk), so it is opt-in: BENCH_SIZES=10000,100000,1000000.
export const DEFAULT_SIZES = [10_000, 100_000]
export const DEFAULT_RATES = [50, 100, 200, 400]

function positiveInts(name: string, fallback: number[], env: NodeJS.ProcessEnv): number[] {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const values = raw.split(',').map(s => Number(s.trim().replace(/_/g, '')))
  if (values.some(n => !Number.isInteger(n) || n <= 0)) throw new Error(`${name} must be comma-separated positive integers, got "${raw}"`)
  return [...new Set(values)].sort((a, b) => a - b)
}

/** Table sizes of the query and growth figures (BENCH_SIZES). */
export function benchSizes(env: NodeJS.ProcessEnv = process.env): number[] {
  return positiveInts('BENCH_SIZES', DEFAULT_SIZES, env)
}

/** Steady webhook rates of the ingest latency rows (BENCH_RATES). */
export function benchRates(env: NodeJS.ProcessEnv = process.env): number[] {
  return positiveInts('BENCH_RATES', DEFAULT_RATES, env)
}

/** Parts that run only when BENCH_ONLY names them: each takes ten minutes or more. */
export const OPT_IN_PARTS = ['rss']

/** Parts to run (BENCH_ONLY); all but the opt-in ones when unset. */
export function wantedParts(env: NodeJS.ProcessEnv = process.env): (part: string) => boolean {
  const only = env.BENCH_ONLY?.split(',').map(s => s.trim()).filter(Boolean)
  return part => only ? only.includes(part) : !OPT_IN_PARTS.includes(part)
}

/** Old jobs the cleanup part deletes (BENCH_CLEANUP_JOBS; 1,000,000 is the opt-in run of issue #19). */
export function cleanupJobs(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInts('BENCH_CLEANUP_JOBS', [10_000], env)[0]!
}

/**
 * Seconds of the cleanup to measure (BENCH_CLEANUP_WINDOW_S). Deleting 1M jobs takes most of an
 * hour, so from 1M on the part measures its first three minutes unless told otherwise.
 */
export function cleanupWindowS(jobs: number, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const fallback = jobs >= 1_000_000 ? [180] : []
  return positiveInts('BENCH_CLEANUP_WINDOW_S', fallback, env)[0]
}

/** Minutes of the RSS part (BENCH_RSS_MINUTES). */
export function rssMinutes(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInts('BENCH_RSS_MINUTES', [10], env)[0]!
}

export function sizeLabel(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n)
}
