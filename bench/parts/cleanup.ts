// Figure 4: the retention cleanup, run the way production runs it — by the cleanup timer inside
// the built server — over N finished jobs past retention (with their stage rows, tasks, events
// and discussions), while the same server takes webhooks at a steady rate. Compared with the same
// load on the idle server, and with the fastest ingest of the same server: a cleanup slower than
// that could fall behind a server kept busy all day.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { closeDb, configureDb, ensureMigrated, useDb, useDbClient } from '#layers/discubot/server/utils/db'
import { tempDir } from '../../tests/support/temp-db'
import { startBenchServer } from '../lib/bench-server'
import { openDbFile, scalar, settleDbFile } from '../lib/db-file'
import { ms, progress, rate, type Report } from '../lib/report'
import { createSeedTeams, seedJobs } from '../lib/seed-jobs'
import { pacedSlackWebhooks, slackWebhookLoad } from '../lib/slack-load'
import { sleep } from '../lib/stats'
import { withBenchLock } from '../lib/bench-lock'

export interface CleanupOptions {
  jobs: number
  /**
   * Measure only the first seconds of the cleanup (the 1M-job run: deleting all would take most
   * of an hour); the rate is then what it deleted in the window. Unset: the whole cleanup.
   */
  windowS?: number
  /** Webhooks per second during both windows. */
  rate: number
  idleSeconds: number
}

const DAY_MS = 24 * 60 * 60_000
const RETENTION_DAYS = 30

export async function benchCleanup(report: Report, options: CleanupOptions): Promise<void> {
  const dbPath = join(tempDir('discubot-bench-'), 'discubot.db')
  configureDb({ url: `file:${dbPath}` })
  await ensureMigrated()
  const teams = await createSeedTeams(useDb(), 'bench-old')
  const seedStarted = performance.now()
  // Shifted back past retention: every finished row is old enough to go.
  await seedJobs(useDbClient(), { teams, from: 0, to: options.jobs, now: new Date(Date.now() - (RETENTION_DAYS + 1) * DAY_MS) })
  await settleDbFile(useDbClient(), dbPath)
  closeDb()

  progress(`seeded ${options.jobs} old jobs in ${ms(performance.now() - seedStarted)}`)
  await withBenchLock('cleanup', () => measureCleanup(report, options, dbPath))
}

async function measureCleanup(report: Report, options: CleanupOptions, dbPath: string): Promise<void> {
  let bench = await startBenchServer({ workers: 0, dbPath, env: { NUXT_JOB_RETENTION_DAYS: String(RETENTION_DAYS) } })
  const db = openDbFile(dbPath)
  try {
    const old = await scalar(db, 'SELECT count(*) FROM discubot_jobs WHERE status IN (\'completed\', \'failed\') AND completed_at < ?', [Date.now() - RETENTION_DAYS * DAY_MS])
    await pacedSlackWebhooks(bench.target, { durationS: 2, rate: options.rate })
    const idleBefore = await pacedSlackWebhooks(bench.target, { durationS: options.idleSeconds, rate: options.rate })
    const ingest = await slackWebhookLoad(bench.target, { durationS: 4, connections: 10 })

    // Make the schedule row due now; the server's timer loop claims it on its next pass.
    await db.execute({ sql: 'UPDATE discubot_timers SET next_run_at = ? WHERE name = \'cleanup\'', args: [Date.now()] })
    const runs = await scalar(db, 'SELECT run_count FROM discubot_timers WHERE name = \'cleanup\'')
    let startedAt = 0
    let watching = true
    const finished = (async () => {
      while (watching) {
        const row = (await db.execute('SELECT locked_by, run_count, last_run_at, last_result, last_error FROM discubot_timers WHERE name = \'cleanup\'')).rows[0]!
        if (!startedAt && row.locked_by) startedAt = Date.now()
        if (Number(row.run_count) > runs) {
          if (row.last_error) throw new Error(`cleanup failed: ${row.last_error}`)
          return { endedAt: Number(row.last_run_at), result: JSON.parse(String(row.last_result)) as { deleted: number } }
        }
        await sleep(20)
      }
      return undefined
    })()
    while (!startedAt) await sleep(5)
    const windowS = options.windowS ?? 600
    const during = await pacedSlackWebhooks(bench.target, { durationS: windowS, rate: options.rate, until: finished })
    const done = await Promise.race([finished, sleep(50).then(() => undefined)])
    watching = false
    const cleanupMs = (done ? done.endedAt : Date.now()) - startedAt
    // Within a window, what it deleted so far: the old jobs that are gone.
    const deleted = done ? done.result.deleted : old - await scalar(db, 'SELECT count(*) FROM discubot_jobs WHERE status IN (\'completed\', \'failed\') AND completed_at < ?', [Date.now() - RETENTION_DAYS * DAY_MS])
    // Idle on both sides of the cleanup: the machine drifts, and the mean of the two is the fair mark.
    if (!done) {
      // Stop it where it is (a restart would resume it: the schedule is a row) and idle without it.
      await bench.server.kill()
      await bench.stop()
      await db.execute({ sql: 'UPDATE discubot_timers SET next_run_at = ?, locked_by = NULL, locked_until = NULL WHERE name = \'cleanup\'', args: [Date.now() + DAY_MS] })
      bench = await startBenchServer({ workers: 0, dbPath, env: { NUXT_JOB_RETENTION_DAYS: String(RETENTION_DAYS) } })
    }
    const idleAfter = await pacedSlackWebhooks(bench.target, { durationS: options.idleSeconds, rate: options.rate })
    const idle = { p50: (idleBefore.p50 + idleAfter.p50) / 2, p99: (idleBefore.p99 + idleAfter.p99) / 2 }
    progress(`cleanup: ${deleted} of ${old} old jobs in ${ms(cleanupMs)}${done ? '' : ' (window)'}; webhook p99 idle ${ms(idle.p99)}, during ${ms(during.p99)}`)

    const deletedPerSecond = deleted / (cleanupMs / 1000)
    report.add({
      figure: done ? `Cleanup of ${deleted} old jobs (+ stage rows, links) vs max ingest` : `Cleanup of ${old} old jobs, first ${windowS} s (+ stage rows, links) vs max ingest`,
      measured: `${rate(deletedPerSecond, 'jobs/s')} (${done ? ms(cleanupMs) : `${deleted} in ${ms(cleanupMs)}`})`,
      limit: rate(ingest.rps, 'jobs/s'),
      ratio: deletedPerSecond / ingest.rps,
      target: { kind: 'min', value: 1 },
      ...(done ? { also: { ok: deleted === old, text: `deletes all ${old}` } } : {}),
    })
    report.add({
      figure: `Webhook p99 @ ${options.rate} req/s during cleanup of ${old} old jobs vs idle`,
      measured: `p50 ${ms(during.p50)}, p99 ${ms(during.p99)}`,
      limit: `idle p50 ${ms(idle.p50)}, p99 ${ms(idle.p99)} (before/after)`,
      ratio: during.p99 / Math.max(idle.p99, 1),
      target: { kind: 'max', value: 2 },
      also: { ok: during.failures === 0, text: 'no failures' },
    })
  }
  finally {
    db.close()
    await bench.stop()
    rmSync(dirname(dbPath), { recursive: true, force: true })
  }
}
