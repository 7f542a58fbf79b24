// Figure 1: signed Slack webhooks against the built server, next to the empty route (GET
// /api/ping, no database) on the same server in the same run: the most it answers per second,
// and latency at rising fixed rates. Raw ingest runs with the workers idle; then once more with
// the workers draining the backlog on the same two cores.
import { startBenchServer, type BenchServer } from '../lib/bench-server'
import { openDbFile, scalar } from '../lib/db-file'
import { ms, progress, rate, type Report } from '../lib/report'
import { pacedPing, pacedSlackWebhooks, pingLoad, slackWebhookLoad, type LoadResult } from '../lib/slack-load'
import type { PacedResult } from '../lib/paced-load'

export interface IngestOptions {
  rates: number[]
  /** Seconds per load step. */
  durationS: number
  /** The rate whose p99 must stay far below Slack's 3 s deadline. */
  targetRate: number
  p99BudgetMs: number
}

const MAX_CONNECTIONS = 10

/** Best of two interleaved rounds of as-fast-as-answered load on each route. */
async function maxThroughput(bench: BenchServer, durationS: number, sent: (result: LoadResult) => LoadResult) {
  let webhook: LoadResult | undefined
  let ping: LoadResult | undefined
  for (let round = 0; round < 2; round++) {
    const w = sent(await slackWebhookLoad(bench.target, { durationS, connections: MAX_CONNECTIONS }))
    const p = await pingLoad(bench.server.url, { durationS, connections: MAX_CONNECTIONS })
    if (!webhook || w.rps > webhook.rps) webhook = w
    if (!ping || p.rps > ping.rps) ping = p
  }
  return { webhook: webhook!, ping: ping! }
}

function failures(result: LoadResult | PacedResult) {
  return result.failures ? ` (${result.failures} failed)` : ''
}

export async function benchIngest(report: Report, options: IngestOptions): Promise<void> {
  let workersOffMax = 0
  for (const workers of [0, 4]) {
    const label = workers ? `workers on (${workers})` : 'workers off'
    const bench = await startBenchServer({ workers })
    let answered = 0
    const sent = <R extends LoadResult | PacedResult>(result: R) => {
      answered += result.ok
      return result
    }
    try {
      // Warm the JIT and the page cache of both routes.
      sent(await pacedSlackWebhooks(bench.target, { durationS: 2, rate: 50 }))
      await pacedPing(bench.server.url, { durationS: 1, rate: 200 })

      const max = await maxThroughput(bench, options.durationS, sent)
      progress(`ingest ${label}: webhook ${max.webhook.rps.toFixed(0)} req/s, ping ${max.ping.rps.toFixed(0)} req/s`)
      report.add({
        figure: `Ingest max, ${label}: signed webhooks vs GET /api/ping`,
        measured: rate(max.webhook.rps, 'req/s') + failures(max.webhook),
        limit: rate(max.ping.rps, 'req/s'),
        ratio: max.webhook.rps / max.ping.rps,
        target: { kind: 'min', value: 0.5 },
      })
      if (workers === 0) workersOffMax = max.webhook.rps
      else {
        report.add({
          figure: 'Ingest max, workers on vs workers off',
          measured: rate(max.webhook.rps, 'req/s'),
          limit: rate(workersOffMax, 'req/s'),
          ratio: max.webhook.rps / workersOffMax,
        })
      }

      const rates = workers ? [options.targetRate] : options.rates
      for (const r of rates) {
        const webhook = sent(await pacedSlackWebhooks(bench.target, { durationS: options.durationS, rate: r }))
        const ping = await pacedPing(bench.server.url, { durationS: Math.max(2, options.durationS / 2), rate: r })
        progress(`ingest ${label} @${r}: webhook p50 ${webhook.p50} p99 ${webhook.p99} (${webhook.rps.toFixed(0)} ok/s), ping p99 ${ping.p99}`)
        const bounded = r <= options.targetRate
        report.add({
          figure: `Ingest @ ${r} req/s, ${label}: p99 vs ping p99`,
          measured: `p50 ${ms(webhook.p50)}, p99 ${ms(webhook.p99)}, ${rate(webhook.rps, 'ok/s')}${failures(webhook)}`,
          limit: `ping p50 ${ms(ping.p50)}, p99 ${ms(ping.p99)}`,
          ratio: webhook.p99 / Math.max(ping.p99, 1),
          ...(bounded ? { also: { ok: webhook.p99 < options.p99BudgetMs && webhook.failures === 0, text: `p99 < ${ms(options.p99BudgetMs)}, no failures` } } : {}),
        })
      }

      // The promise behind every 2xx: the job row is committed. Count them.
      if (workers === 0) {
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
    }
    finally {
      await bench.stop()
    }
  }
}
