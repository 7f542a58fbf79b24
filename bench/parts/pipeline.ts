// Figure 2: jobs/s through all six stages with zero-latency fakes of the outside world, in-process
// (the real runner, worker pool, stages and queries on a real libSQL file), against the raw
// commit rate of the same database file; transactions per job counted at the client.
import { createClient, type Client } from '@libsql/client'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { WorkerPool } from '#layers/discubot/server/pipeline/worker-pool'
import type { PipelineServices } from '#layers/discubot/server/pipeline/types'
import { createTempDb } from '../../tests/support/temp-db'
import { fakeWorld, queueSlackJob, sampleAnalysis, seedTeamWithSlackConfig, testSettings } from '../../tests/support/engine-fixtures'
import { STAGES } from '#layers/discubot/shared/domain'
import { DbCounter, type DbCounts } from '../lib/db-counter'
import { rawWriteRate } from '../lib/raw-writes'
import { progress, rate, type Report } from '../lib/report'
import { sleep } from '../lib/stats'

export interface PipelineOptions {
  jobs: number
  concurrencies: number[]
  /** Interleaved rounds over the concurrencies; the best run of each counts. */
  rounds: number
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
  testSettings({ workerConcurrency: concurrency, leaseMs: 10_000, pollIntervalMs: 500, instanceId: `bench-c${concurrency}` })
  counter.reset()
  const started = performance.now()
  const pool = new WorkerPool({ services })
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

/**
 * Write transactions the checkpoint protocol needs per job: the claim, the first stage's start,
 * one batch per stage boundary (stage N's checkpoint with stage N+1's start; the last one completes
 * the job; the discussion row rides with its stage), and one per task intent (each carries the
 * previous task's confirmation; the last confirmation rides with the stage's checkpoint). More than
 * this means retries, lost leases or stray writes.
 */
function protocolWritesPerJob(tasks: number) {
  return 1 + 1 + STAGES.length + tasks
}

export async function benchPipeline(report: Report, options: PipelineOptions): Promise<void> {
  const temp = await createTempDb()
  const observer = createClient({ url: temp.url })
  try {
    const counter = new DbCounter(useDbClient())
    const { team, config } = await seedTeamWithSlackConfig(temp.db, 'bench-pipeline')
    const world = fakeWorld()

    // Warm the code paths (JIT, page cache) before anything is timed.
    await queueJobs(team.id, config.id, 20)
    await drain(observer, counter, world.services, 2, 20)

    // Interleaved rounds, best of each: the machine is shared, and a slow second is not ours.
    const best = new Map<number, DrainResult & { raw: number }>()
    for (let round = 0; round < options.rounds; round++) {
      for (const concurrency of options.concurrencies) {
        await queueJobs(team.id, config.id, options.jobs)
        // The limit is measured next to each run: disk and CPU drift within a run.
        const raw = await rawWriteRate(useDbClient(), 700)
        const result = await drain(observer, counter, world.services, concurrency, options.jobs)
        progress(`pipeline c=${concurrency}: ${result.jobsPerSecond.toFixed(1)} jobs/s next to ${raw.toFixed(0)} raw tx/s`)
        const previous = best.get(concurrency)
        if (!previous || result.jobsPerSecond > previous.jobsPerSecond) best.set(concurrency, { ...result, raw })
      }
    }

    const first = options.concurrencies[0]!
    const base = best.get(first)!
    const tx = perJob(base.counts, options.jobs)
    const ceiling = base.raw / tx.writes
    report.add({
      figure: `Pipeline c=${first}: jobs/s vs commit-bound ceiling`,
      measured: rate(base.jobsPerSecond, 'jobs/s'),
      limit: `${rate(base.raw, 'tx/s')} raw ÷ ${tx.writes.toFixed(1)} tx/job = ${rate(ceiling, 'jobs/s')}`,
      ratio: base.jobsPerSecond / ceiling,
      target: { kind: 'min', value: 0.5 },
    })
    report.add({
      figure: `Pipeline c=${first}: jobs/s vs raw single-row commits/s`,
      measured: rate(base.jobsPerSecond, 'jobs/s'),
      limit: rate(base.raw, 'tx/s'),
      ratio: base.jobsPerSecond / base.raw,
      target: { kind: 'min', value: 0.04 },
    })
    const protocol = protocolWritesPerJob(sampleAnalysis.tasks.length)
    report.add({
      figure: 'Pipeline: write transactions per job',
      measured: `${tx.writes.toFixed(2)} write tx (+ ${tx.reads.toFixed(1)} reads, ${tx.statements.toFixed(0)} statements)`,
      limit: `${protocol} by the checkpoint protocol`,
      ratio: tx.writes / protocol,
      target: { kind: 'max', value: 1.1 },
    })
    for (const concurrency of options.concurrencies.slice(1)) {
      const result = best.get(concurrency)!
      report.add({
        figure: `Pipeline c=${concurrency} vs c=${first}, zero-latency fakes`,
        measured: rate(result.jobsPerSecond, 'jobs/s'),
        limit: rate(base.jobsPerSecond, 'jobs/s'),
        ratio: result.jobsPerSecond / base.jobsPerSecond,
        target: { kind: 'min', value: 0.8 },
      })
    }

    // With real outside calls the loops wait on the network, and concurrency is what buys throughput.
    const wait = () => sleep(options.latencyMs)
    const slowWorld = fakeWorld({ onFetch: wait, onAnalyze: wait, onCreate: wait, onPost: wait })
    const low = Math.min(...options.concurrencies)
    const high = Math.max(...options.concurrencies)
    const lowJobs = Math.max(5, Math.round(options.jobs / 15))
    await queueJobs(team.id, config.id, lowJobs)
    const slowLow = await drain(observer, counter, slowWorld.services, low, lowJobs)
    const highJobs = lowJobs * high / low / 2
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
