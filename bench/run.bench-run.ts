// `npm run bench`: every benchmark at its default size, one table on stdout (progress on stderr).
// Each row compares a measurement with a limit measured beside it in this run; see bench/README.md.
import { cpus } from 'node:os'
import { it } from 'vitest'
import { Report, progress } from './lib/report'
import { withBenchLock } from './lib/bench-lock'
import { buildServer } from './lib/bench-server'
import { benchRates, benchSizes, cleanupJobs, cleanupWindowS, rssMinutes, sizeLabel, wantedParts } from './lib/run-options'
import { benchPipeline } from './parts/pipeline'
import { benchDataGrowth } from './parts/data-growth'
import { benchIngest } from './parts/ingest'
import { benchCleanup } from './parts/cleanup'
import { benchRecovery } from './parts/recovery'
import { benchRss } from './parts/rss'

const wanted = wantedParts()

it('benchmarks', async () => {
  const report = new Report()
  const started = Date.now()
  const sizes = benchSizes()

  let built = false
  const needsServer = ['ingest', 'growth', 'cleanup', 'recovery', 'rss'].some(wanted)
  if (needsServer) {
    try {
      await withBenchLock('server build', async () => buildServer())
      built = true
    }
    catch (error) {
      report.failed('Server build (ingest, cleanup, recovery, ingest growth)', error)
    }
  }

  // Growth and cleanup take the bench lock themselves, around measuring only (not seeding).
  const locksItself = ['growth', 'cleanup']
  const part = async (name: string, figure: string, run: () => Promise<void>, server = false) => {
    if (!wanted(name)) return
    if (server && !built) return report.failed(figure, new Error('no server build'))
    progress(`— ${figure}`)
    try {
      await (locksItself.includes(name) ? run() : withBenchLock(name, run))
    }
    catch (error) {
      report.failed(figure, error)
    }
  }

  await part('pipeline', 'Pipeline throughput', () => benchPipeline(report, { jobs: 100, concurrencies: [1, 2, 4, 8], rounds: 2, latencyMs: 100 }))
  await part('growth', `Admin queries and growth (${sizes.map(sizeLabel).join(', ')})`, () => benchDataGrowth(report, {
    sizes,
    targetSize: 100_000,
    p95BudgetMs: 20,
    ingestRate: 100,
    ingestSeconds: 5,
    withServer: built,
  }))
  await part('ingest', 'Ingest', () => benchIngest(report, { rates: benchRates(), durationS: 4, targetRate: 200, p99BudgetMs: 1000, workers: 4 }), true)
  await part('cleanup', 'Cleanup', () => benchCleanup(report, { jobs: cleanupJobs(), windowS: cleanupWindowS(cleanupJobs()), rate: 100, idleSeconds: 4 }), true)
  await part('recovery', 'Recovery', () => benchRecovery(report, { jobs: 1000, normalJobs: 300, workers: 4 }), true)
  await part('rss', 'RSS over time (opt-in)', () => benchRss(report, { minutes: rssMinutes(), rate: 100, workers: 4, steadyFrom: 5 }), true)

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const header = `Discubot benchmarks — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpus().length} × ${cpu}, node ${process.version}, sizes ${sizes.map(sizeLabel).join('/')}, ${((Date.now() - started) / 60_000).toFixed(1)} min`
  process.stdout.write(`\n${header}\n\n${report.render()}\n`)
})
