// Figure 2: jobs/s through all six stages with zero-latency fakes of the outside world, in-process
// (the real runner, worker pool, stages and queries on a real libSQL file), against the raw
// commit rate of the same database file; transactions per job counted at the client.
import { createClient, type Client } from '@libsql/client'
import { useDb, useDbClient } from '#layers/discubot/server/utils/db'
import { WorkerPool } from '#layers/discubot/server/pipeline/worker-pool'
import type { PipelineServices } from '#layers/discubot/server/pipeline/types'
import { createTempDb } from '../../tests/support/temp-db'
import { fakeWorld, queueSlackJob, seedTeamWithSlackConfig, testSettings } from '../../tests/support/engine-fixtures'
import { DbCounter, type DbCounts } from '../lib/db-counter'
import { rawWriteRate } from '../lib/raw-writes'
import { progress, rate, type Report } from '../lib/report'
import { sleep } from '../lib/stats'

export interface PipelineOptions {
  jobs: number
  concurrencies: number[]
  /** Per outside call in the latency run (thread fetch, model, each task page, reply). */
  latencyMs: number
}

interface DrainResult {
  jobsPerSecond: number
  counts: DbCounts
}

let threadSeq = 0

async function queueJobs(teamId: string, configId: string, n: number) {
  for (let i = 0; i < n; i++) {
    threadSeq++
    await queueSlackJob(teamId, configId, `${1_800_000_000 + threadSeq}.000100`)
  }
}

async function unfinished(observer: Client): Promise<number> {
  const result = await observer.execute('SELECT count(*) AS n FROM discubot_jobs WHERE status IN (\'pending\', \'processing\')')
  return Number(result.rows[0]!.n)
}

/** Starts a pool of `concurrency` loops on an already queued backlog and times it to empty. */
async function drain(observer: Client, counter: DbCounter, services: PipelineServices, concurrency: number, jobs: number): Promise<DrainResult> {
  const db = useDb()
  const settings = testSettings({ workerConcurrency: concurrency, leaseMs: 10_000, pollIntervalMs: 500, instanceId: `bench-c${concurrency}` })
  counter.reset()
  const started = performance.now()
  const pool = new WorkerPool({ db, settings, services })
  await pool.start()
  while (await unfinished(observer) > 0) await sleep(10)
  const seconds = (performance.now() - started) / 1000
  const counts = counter.reset()
  await pool.stop()
  const failed = await observer.execute('SELECT count(*) AS n FROM discubot_jobs WHERE status = \'failed\'')
  if (Number(failed.rows[0]!.n) > 0) throw new Error(`${failed.rows[0]!.n} job(s) failed in the pipeline benchmark`)
  return { jobsPerSecond: jobs / seconds, counts }
}

function perJob(counts: DbCounts, jobs: number) {
  return {
    writes: counts.writeTransactions / jobs,
    reads: counts.reads / jobs,
    statements: counts.statements / jobs,
  }
}

export async function benchPipeline(report: Report, options: PipelineOptions): Promise<void> {
  const temp = await createTempDb()
  const observer = createClient({ url: temp.url })
  try {
    const counter = new DbCounter(useDbClient())
    const { team, config } = await seedTeamWithSlackConfig(temp.db, 'bench-pipeline')
    const world = fakeWorld()

    // Warm the code paths (JIT, prepared statement caches) before anything is timed.
    await queueJobs(team.id, config.id, 20)
    await drain(observer, counter, world.services, 2, 20)

    const byConcurrency = new Map<number, DrainResult & { raw: number }>()
    for (const concurrency of options.concurrencies) {
      await queueJobs(team.id, config.id, options.jobs)
      // The limit is re-measured next to each run: the machine's disk and CPU drift between runs.
      const raw = await rawWriteRate(useDbClient(), 1000)
      const result = await drain(observer, counter, world.services, concurrency, options.jobs)
      byConcurrency.set(concurrency, { ...result, raw })
      progress(`pipeline c=${concurrency}: ${result.jobsPerSecond.toFixed(1)} jobs/s, raw ${raw.toFixed(0)} tx/s, ${JSON.stringify(perJob(result.counts, options.jobs))}`)
    }

    const base = byConcurrency.get(options.concurrencies[0]!)!
    const tx = perJob(base.counts, options.jobs)
    const ceiling = base.raw / tx.writes
    report.add({
      figure: `Pipeline c=${options.concurrencies[0]}: jobs/s vs commit-bound ceiling`,
      measured: rate(base.jobsPerSecond, 'jobs/s'),
      limit: `${rate(base.raw, 'tx/s')} raw ÷ ${tx.writes.toFixed(1)} tx/job = ${rate(ceiling, 'jobs/s')}`,
      ratio: base.jobsPerSecond / ceiling,
      target: { kind: 'min', value: 0.5 },
    })
    report.add({
      figure: 'Pipeline: database work per job',
      measured: `${tx.writes.toFixed(1)} write tx + ${tx.reads.toFixed(1)} reads`,
      limit: `${tx.statements.toFixed(0)} statements / 6 stages`,
      ratio: tx.writes / 6,
      target: { kind: 'max', value: 3 },
    })
    for (const concurrency of options.concurrencies.slice(1)) {
      const result = byConcurrency.get(concurrency)!
      report.add({
        figure: `Pipeline c=${concurrency} vs c=${options.concurrencies[0]} (zero-latency fakes)`,
        measured: rate(result.jobsPerSecond, 'jobs/s'),
        limit: rate(base.jobsPerSecond, 'jobs/s'),
        ratio: result.jobsPerSecond / base.jobsPerSecond,
        target: { kind: 'min', value: 0.8 },
      })
    }

    // With real outside calls the loops wait on the network, and concurrency is what buys throughput.
    const slowWorld = fakeWorld({ onFetch: () => sleep(options.latencyMs), onAnalyze: () => sleep(options.latencyMs), onCreate: () => sleep(options.latencyMs), onPost: () => sleep(options.latencyMs) })
    const low = Math.min(...options.concurrencies)
    const high = Math.max(...options.concurrencies)
    const lowJobs = Math.max(10, Math.round(options.jobs / 20))
    await queueJobs(team.id, config.id, lowJobs)
    const slowLow = await drain(observer, counter, slowWorld.services, low, lowJobs)
    const highJobs = lowJobs * 4
    await queueJobs(team.id, config.id, highJobs)
    const slowHigh = await drain(observer, counter, slowWorld.services, high, highJobs)
    report.add({
      figure: `Pipeline c=${high} vs c=${low}, ${options.latencyMs} ms per outside call`,
      measured: rate(slowHigh.jobsPerSecond, 'jobs/s'),
      limit: rate(slowLow.jobsPerSecond, 'jobs/s'),
      ratio: slowHigh.jobsPerSecond / slowLow.jobsPerSecond,
      target: { kind: 'min', value: high / low / 2 },
    })
  }
  finally {
    observer.close()
    temp.cleanup()
  }
}
