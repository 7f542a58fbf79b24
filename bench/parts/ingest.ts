// Figure 1: signed Slack webhooks against the built server, next to the empty route (GET
// /api/ping, no database) on the same server in the same run: the most it answers per second,
// and latency at rising steady rates. Raw ingest runs with the workers idle; then with the
// workers draining the backlog in the same process, and in a second process on the same file.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { tempDir } from '../../tests/support/temp-db'
import { startBenchServer, type BenchServer } from '../lib/bench-server'
import { openDbFile, scalar } from '../lib/db-file'
import type { PacedResult } from '../lib/paced-load'
import { rawWriteRate } from '../lib/raw-writes'
import { ms, progress, rate, type Report } from '../lib/report'
import { countSyscalls, describeCounts, syscallsWanted, type SyscallCount } from '../lib/syscalls'
import { pacedPing, pacedSlackWebhooks, pingLoad, slackWebhookLoad, type LoadResult } from '../lib/slack-load'

export interface IngestOptions {
  rates: number[]
  /** Seconds per load step. */
  durationS: number
  /** The rate whose p99 must stay far below Slack's 3 s deadline. */
  targetRate: number
  p99BudgetMs: number
  workers: number
}

const MAX_CONNECTIONS = 10

interface Setup {
  label: string
  /** Pipeline loops in the process that takes the webhooks. */
  workers: number
  /** Pipeline loops in a second server process on the same database file. */
  sidecarWorkers?: number
  rates: number[]
  measureMax: boolean
}

function failures(result: LoadResult | PacedResult) {
  return result.failures ? ` (${result.failures} failed)` : ''
}

/** Single-row commits per second on a fresh WAL database file on the same disk. */
async function commitRate(): Promise<number> {
  const dir = tempDir('discubot-bench-')
  const client = createClient({ url: `file:${join(dir, 'commits.db')}` })
  try {
    await client.execute('PRAGMA journal_mode = WAL')
    return await rawWriteRate(client, 1000)
  }
  finally {
    client.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Best of two interleaved rounds of as-fast-as-answered load on each route. */
async function maxThroughput(bench: BenchServer, durationS: number, count: (result: LoadResult) => void) {
  let webhook: LoadResult | undefined
  let ping: LoadResult | undefined
  for (let round = 0; round < 2; round++) {
    const w = await slackWebhookLoad(bench.target, { durationS, connections: MAX_CONNECTIONS })
    count(w)
    const p = await pingLoad(bench.server.url, { durationS, connections: MAX_CONNECTIONS })
    if (!webhook || w.rps > webhook.rps) webhook = w
    if (!ping || p.rps > ping.rps) ping = p
  }
  return { webhook: webhook!, ping: ping! }
}

/** What the workers-off setup measured, for the setups with workers to be held against. */
interface WorkersOff {
  max?: number
  p99ByRate: Map<number, number>
}

async function runSetup(report: Report, setup: Setup, options: IngestOptions, workersOff?: WorkersOff): Promise<WorkersOff> {
  const workersOffMax = workersOff?.max
  const p99ByRate = new Map<number, number>()
  const bench = await startBenchServer({ workers: setup.workers })
  const sidecar = setup.sidecarWorkers ? await startBenchServer({ workers: setup.sidecarWorkers, dbPath: bench.server.dbPath, slack: bench.slack }) : undefined
  let answered = 0
  const count = (result: LoadResult | PacedResult) => {
    answered += result.ok
  }
  try {
    // Warm the JIT and the page cache of both routes.
    count(await pacedSlackWebhooks(bench.target, { durationS: 2, rate: 50 }))
    await pacedPing(bench.server.url, { durationS: 1, rate: 200 })

    let max: Awaited<ReturnType<typeof maxThroughput>> | undefined
    if (setup.measureMax) {
      max = await maxThroughput(bench, options.durationS, count)
      progress(`ingest ${setup.label}: webhook ${max.webhook.rps.toFixed(0)} req/s, ping ${max.ping.rps.toFixed(0)} req/s`)
      report.add({
        figure: `Ingest max, ${setup.label}: signed webhooks vs GET /api/ping`,
        measured: rate(max.webhook.rps, 'req/s') + failures(max.webhook),
        limit: rate(max.ping.rps, 'req/s'),
        ratio: max.webhook.rps / max.ping.rps,
        target: { kind: 'min', value: 0.1 },
      })
      if (!workersOff) {
        // Every accepted delivery is one commit (one WAL fsync): the disk's commit rate bounds ingest.
        const commits = await commitRate()
        report.add({
          figure: `Ingest max, ${setup.label}: signed webhooks vs raw commit rate`,
          measured: rate(max.webhook.rps, 'req/s'),
          limit: `${rate(commits, 'tx/s')} single-row commits`,
          ratio: max.webhook.rps / commits,
        })
      }
      else if (workersOffMax !== undefined) {
        report.add({
          figure: `Ingest max, ${setup.label} vs workers off`,
          measured: rate(max.webhook.rps, 'req/s'),
          limit: rate(workersOffMax, 'req/s'),
          ratio: max.webhook.rps / workersOffMax,
        })
      }
    }

    // Webhooks must not be fast because the workers stand still: jobs finished during each window.
    const finished = setup.workers > 0 ? openDbFile(bench.server.dbPath) : undefined
    const finishedJobs = () => scalar(finished!, 'SELECT count(*) FROM discubot_jobs WHERE status IN (\'completed\', \'failed\')')
    const pipelineRates: Array<{ rate: number, jobsPerSecond: number }> = []
    for (const r of setup.rates) {
      const before = finished ? { jobs: await finishedJobs(), at: performance.now() } : undefined
      const webhook = await pacedSlackWebhooks(bench.target, { durationS: options.durationS, rate: r })
      count(webhook)
      if (before) pipelineRates.push({ rate: r, jobsPerSecond: (await finishedJobs() - before.jobs) / ((performance.now() - before.at) / 1000) })
      const ping = await pacedPing(bench.server.url, { durationS: Math.max(2, options.durationS / 2), rate: r })
      progress(`ingest ${setup.label} @${r}: webhook p50 ${ms(webhook.p50)} p99 ${ms(webhook.p99)} (${webhook.rps.toFixed(0)} ok/s), ping p99 ${ms(ping.p99)}`)
      report.add({
        figure: `Ingest @ ${r} req/s, ${setup.label}: p99 vs ping p99`,
        measured: `p50 ${ms(webhook.p50)}, p99 ${ms(webhook.p99)}, ${rate(webhook.rps, 'ok/s')}${failures(webhook)}`,
        limit: `ping p50 ${ms(ping.p50)}, p99 ${ms(ping.p99)}`,
        ratio: webhook.p99 / Math.max(ping.p99, 0.01),
        ...(r <= options.targetRate ? { also: { ok: webhook.p99 < options.p99BudgetMs && webhook.failures === 0, text: `p99 < ${ms(options.p99BudgetMs)}, no failures` } } : {}),
      })
      p99ByRate.set(r, webhook.p99)
      const offP99 = workersOff?.p99ByRate.get(r)
      if (offP99 !== undefined) {
        // What the workers cost a webhook: the same rate, the same build, workers off a minute earlier.
        report.add({
          figure: `Webhook p99 @ ${r} req/s, ${setup.label} vs workers off`,
          measured: `p99 ${ms(webhook.p99)}`,
          limit: `workers off p99 ${ms(offP99)}`,
          ratio: webhook.p99 / Math.max(offP99, 0.01),
          // The target is for workers that take turns on the webhooks' event loop; a second
          // process is the alternative it was measured against (its lock waits sleep, README).
          ...(setup.sidecarWorkers ? {} : { target: { kind: 'max' as const, value: 2 } }),
        })
      }
    }

    if (syscallsWanted()) {
      // An extra, traced window at the target rate: what each process spends its waits on.
      const load = () => pacedSlackWebhooks(bench.target, { durationS: options.durationS, rate: options.targetRate })
      const traced = await countSyscalls(bench.server.child.pid!, () => sidecar ? countSyscalls(sidecar.server.child.pid!, load) : load().then(result => ({ result, counts: undefined })))
      const webhook = traced.result.result
      count(webhook)
      const processes: Array<[string, Map<string, SyscallCount>]> = [['webhook process', traced.counts]]
      if (traced.result.counts) processes.push(['pipeline process', traced.result.counts])
      for (const [name, counts] of processes) {
        report.add({
          figure: `Syscalls of the ${name} @ ${options.targetRate} req/s, ${setup.label} (extra traced window)`,
          measured: describeCounts(counts, options.durationS),
          limit: `webhook p99 ${ms(webhook.p99)} while traced`,
          ratio: Number.NaN,
        })
      }
    }

    if (finished) {
      // The same workers on the backlog left, with no webhooks arriving.
      const before = { jobs: await finishedJobs(), at: performance.now() }
      await new Promise(resolve => setTimeout(resolve, options.durationS * 1000))
      const alone = (await finishedJobs() - before.jobs) / ((performance.now() - before.at) / 1000)
      const backlog = await scalar(finished, 'SELECT count(*) FROM discubot_jobs WHERE status IN (\'pending\', \'processing\')')
      finished.close()
      for (const { rate: r, jobsPerSecond } of pipelineRates) {
        report.add({
          figure: `Pipeline jobs/s while taking ${r} webhooks/s, ${setup.label} vs no webhooks`,
          measured: rate(jobsPerSecond, 'jobs/s'),
          limit: `${rate(alone, 'jobs/s')} (backlog ${backlog} left)`,
          ratio: jobsPerSecond / Math.max(alone, 0.01),
        })
      }
    }

    if (!workersOff) {
      // The promise behind every 2xx: the job row is committed. Count them.
      const db = openDbFile(bench.server.dbPath)
      try {
        const jobs = await scalar(db, 'SELECT count(*) FROM discubot_jobs')
        report.add({
          figure: 'Ingest: jobs committed per 2xx answer',
          measured: `${jobs} jobs`,
          limit: `${answered} answers 2xx`,
          ratio: jobs / answered,
          target: { kind: 'min', value: 1 },
        })
      }
      finally {
        db.close()
      }
    }
    return { max: max?.webhook.rps, p99ByRate }
  }
  finally {
    await sidecar?.server.stop()
    await bench.stop()
  }
}

export async function benchIngest(report: Report, options: IngestOptions): Promise<void> {
  const workersOff = await runSetup(report, { label: 'workers off', workers: 0, rates: options.rates, measureMax: true }, options)
  await runSetup(report, { label: `workers on (${options.workers})`, workers: options.workers, rates: [options.targetRate / 2, options.targetRate], measureMax: true }, options, workersOff)
  await runSetup(report, { label: `${options.workers} workers in a 2nd process`, workers: 0, sidecarWorkers: options.workers, rates: [options.targetRate], measureMax: false }, options, workersOff)
}
