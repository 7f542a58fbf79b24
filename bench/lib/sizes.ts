// Table sizes of the data-growth figures. 10k and 100k run by default; 1M takes minutes to seed
// (and ~7 GB of disk), so it is opt-in: BENCH_SIZES=10000,100000,1000000 npm run bench.
export const DEFAULT_SIZES = [10_000, 100_000]

export function benchSizes(env: NodeJS.ProcessEnv = process.env): number[] {
  const raw = env.BENCH_SIZES?.trim()
  if (!raw) return DEFAULT_SIZES
  const sizes = raw.split(',').map(s => Number(s.trim().replace(/_/g, '')))
  if (sizes.some(n => !Number.isInteger(n) || n <= 0)) throw new Error(`BENCH_SIZES must be comma-separated positive integers, got "${raw}"`)
  return [...new Set(sizes)].sort((a, b) => a - b)
}

export function sizeLabel(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n)
}
