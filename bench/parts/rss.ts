// Figure 9 of issue #19 (opt-in: BENCH_ONLY=rss): the resident memory of one instance that takes
// webhooks at a steady rate for ten minutes with its workers on, sampled every minute. Whatever
// grows per request or per job (a cache without a bound, listeners, timers) shows as a slope
// between the fifth and the last minute; the first minutes are the heap finding its size.
import { readFileSync } from 'node:fs'
import { startBenchServer } from '../lib/bench-server'
import { ms, progress, type Report } from '../lib/report'
import { pacedSlackWebhooks } from '../lib/slack-load'

export interface RssOptions {
  minutes: number
  rate: number
  workers: number
  /** Minute from which the RSS must stay flat. */
  steadyFrom: number
}

/** Resident set size of a process, from /proc (Linux), in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'))
  if (!line) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(line.split(/\s+/)[1]) / 1024
}

export async function benchRss(report: Report, options: RssOptions): Promise<void> {
  const bench = await startBenchServer({ workers: options.workers })
  try {
    const pid = bench.server.child.pid!
    const samples: { minute: number, rssMb: number, p99: number, ok: number, failures: number }[] = [{ minute: 0, rssMb: rssMb(pid), p99: 0, ok: 0, failures: 0 }]
    progress(`rss: minute 0 ${samples[0]!.rssMb.toFixed(0)} MB`)
    for (let minute = 1; minute <= options.minutes; minute++) {
      const load = await pacedSlackWebhooks(bench.target, { durationS: 60, rate: options.rate })
      samples.push({ minute, rssMb: rssMb(pid), p99: load.p99, ok: load.ok, failures: load.failures })
      progress(`rss: minute ${minute} ${samples.at(-1)!.rssMb.toFixed(0)} MB (webhooks p99 ${ms(load.p99)}, ${load.ok} ok, ${load.failures} failed${load.failures ? ` ${JSON.stringify(load.failedWith)}` : ''})`)
    }
    const steady = samples.find(s => s.minute === options.steadyFrom) ?? samples[1]!
    const last = samples.at(-1)!
    const failures = samples.reduce((n, s) => n + s.failures, 0)
    report.add({
      figure: `RSS after ${options.minutes} min @ ${options.rate} req/s, ${options.workers} workers: minute ${last.minute} vs minute ${steady.minute}`,
      measured: `${last.rssMb.toFixed(0)} MB`,
      limit: `${steady.rssMb.toFixed(0)} MB`,
      ratio: last.rssMb / steady.rssMb,
      // Flat within what the garbage collector moves between two samples.
      target: { kind: 'max', value: 1.1 },
      also: { ok: failures === 0, text: 'no failures' },
    })
    report.note(`RSS samples each minute (${options.rate} req/s, ${options.workers} workers): ${samples.map(s => `${s.minute}: ${s.rssMb.toFixed(0)} MB`).join(', ')}`)
  }
  finally {
    await bench.stop()
  }
}
