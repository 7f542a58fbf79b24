// Figure 5: kill -9 with N jobs in flight, restart on the same database file, and time from boot
// to the first resumed stage and to an empty queue — next to, in the same run, the boot of the
// server itself and a normal drain of the same backlog (no crash) for the per-job rate.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tempDir } from '../../tests/support/temp-db'
import { startBenchServer, type BenchServer } from '../lib/bench-server'
import { openDbFile, scalar } from '../lib/db-file'
import { ms, progress, rate, type Report } from '../lib/report'
import { slackWebhookLoad } from '../lib/slack-load'
import { sleep } from '../lib/stats'
import { startSlackStandin } from '../../tests/standins/slack'
import type { Client } from '@libsql/client'

export interface RecoveryOptions {
  /** Jobs in flight at the kill. */
  jobs: number
  /** Size of the crash-free drain that gives the normal per-job rate. */
  normalJobs: number
  workers: number
}

const UNFINISHED = 'SELECT count(*) FROM discubot_jobs WHERE status IN (\'pending\', \'processing\')'

const JOBS = 'SELECT count(*) FROM discubot_jobs'

/** Queues at least `jobs` deliveries as fast as the server takes them; returns how many it queued. */
async function queue(bench: BenchServer, db: Client, jobs: number): Promise<number> {
  const before = await scalar(db, JOBS)
  while (await scalar(db, JOBS) - before < jobs) {
    await slackWebhookLoad(bench.target, { durationS: 30, connections: 10, until: waitUntil(async () => await scalar(db, JOBS) - before >= jobs, 5) })
  }
  return await scalar(db, JOBS) - before
}

async function waitUntil(check: () => Promise<boolean>, intervalMs: number, timeoutMs = 600_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await sleep(intervalMs)
  }
  return Date.now()
}

export async function benchRecovery(report: Report, options: RecoveryOptions): Promise<void> {
  const slack = await startSlackStandin()
  const env = { NUXT_INSTANCE_ID: 'bench-recovery' }
  const dbPath = join(tempDir('discubot-bench-'), 'discubot.db')
  let bench: BenchServer | undefined
  // The same database, Slack and instance id on every start: a restart is the same instance.
  const restart = async (workers: number) => {
    await bench?.stop()
    bench = await startBenchServer({ workers, dbPath, slack, env })
    return bench
  }
  const db = openDbFile(dbPath)
  try {
    // Normal drains, for the per-job rate: a backlog queued with the workers off, then a restart
    // with them on (before and after the crash, as the machine drifts).
    const normalDrain = async () => {
      const queued = await queue(await restart(0), db, options.normalJobs)
      const boot = Date.now()
      await restart(options.workers)
      const seconds = (await waitUntil(async () => await scalar(db, UNFINISHED) === 0, 50) - boot) / 1000
      progress(`recovery: normal drain of ${queued} jobs in ${seconds.toFixed(1)} s`)
      return queued / seconds
    }
    const normalBefore = await normalDrain()

    // The crash: a new backlog with the workers running, kill -9 as soon as it is all accepted.
    const crashing = bench!
    await queue(crashing, db, options.jobs)
    await crashing.server.kill('SIGKILL')
    const inFlight = await scalar(db, UNFINISHED)
    const processing = await scalar(db, 'SELECT count(*) FROM discubot_jobs WHERE status = \'processing\'')
    const lastWrite = await scalar(db, 'SELECT max(updated_at) FROM discubot_job_stages')

    const boot = Date.now()
    const resumed = waitUntil(async () => await scalar(db, 'SELECT max(updated_at) FROM discubot_job_stages') > lastWrite, 10)
    await restart(options.workers)
    const healthy = Date.now()
    const firstStage = await resumed
    const drained = await waitUntil(async () => await scalar(db, UNFINISHED) === 0, 50)
    const failed = await scalar(db, 'SELECT count(*) FROM discubot_jobs WHERE status = \'failed\'')
    const recoverySeconds = (drained - boot) / 1000
    const normalRate = (normalBefore + await normalDrain()) / 2
    progress(`recovery: ${inFlight} in flight (${processing} processing); first stage after ${firstStage - boot} ms, healthy after ${healthy - boot} ms, drained after ${recoverySeconds.toFixed(1)} s`)

    report.add({
      figure: `Recovery after kill -9, ${inFlight} in flight: boot → first resumed stage`,
      measured: ms(firstStage - boot),
      limit: `boot → healthy ${ms(healthy - boot)}`,
      ratio: (firstStage - boot) / (healthy - boot),
      target: { kind: 'max', value: 1.5 },
    })
    const recoveryRate = inFlight / recoverySeconds
    report.add({
      figure: `Recovery: boot → queue drained (${inFlight} jobs)`,
      measured: `${recoverySeconds.toFixed(1)} s (${rate(recoveryRate, 'jobs/s')})`,
      limit: `normal drain ${rate(normalRate, 'jobs/s')}`,
      ratio: recoveryRate / normalRate,
      target: { kind: 'min', value: 0.67 },
      also: { ok: failed === 0, text: 'no job failed' },
    })
  }
  finally {
    db.close()
    await bench?.stop()
    await slack.stop()
    rmSync(dirname(dbPath), { recursive: true, force: true })
  }
}
