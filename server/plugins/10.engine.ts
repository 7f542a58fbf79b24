// Starts the durable engine once the database is migrated: checkpoints off the event loop,
// bootstrap (default team, env configs, first admin, cleanup schedule), the pipeline workers, the
// outbox workers (reactions, failure notes, alerts) and the timer loop. Stops them on close
// (SIGTERM): no new claims, in-flight work finishes or is handed back.
import { consola } from 'consola'
import { ensureMigrated, startDbCheckpointer, stopDbCheckpointer } from '#layers/discubot/server/utils/db'
import { useSettings } from '#layers/discubot/server/utils/settings'
import { runBootstrap } from '#layers/discubot/server/bootstrap'
import { WorkerPool } from '#layers/discubot/server/pipeline/worker-pool'
import { defaultServices } from '#layers/discubot/server/pipeline/services'
import { TimerLoop } from '#layers/discubot/server/timers/timer-loop'
import { findBootWork, logStartReport } from '#layers/discubot/server/bootstrap/start-report'
import { OutboxLoop } from '#layers/discubot/server/feedback/outbox-loop'

export default defineNitroPlugin((nitroApp) => {
  const settings = useSettings()
  let pool: WorkerPool | undefined
  let timers: TimerLoop | undefined
  let outbox: OutboxLoop | undefined
  let closing = false

  const boot = async () => {
    // The database may be unreachable at boot: keep trying; the API answers 503 meanwhile.
    for (let attempt = 1; !closing; attempt++) {
      try {
        await ensureMigrated()
        break
      }
      catch {
        await new Promise(resolve => setTimeout(resolve, Math.min(10_000, 250 * attempt)))
      }
    }
    if (closing) return
    startDbCheckpointer()
    await runBootstrap()
    const findings = await findBootWork()
    pool = new WorkerPool({ services: defaultServices })
    const released = settings.workerConcurrency > 0 ? await pool.start() : 0
    timers = new TimerLoop(`${pool.workerPrefix}timers`)
    const firedTimers = await timers.start()
    outbox = new OutboxLoop(`${pool.workerPrefix}outbox/`, { services: defaultServices, watchQueue: settings.workerConcurrency > 0 })
    outbox.start()
    await logStartReport(findings, { instanceId: settings.instanceId, released, firedTimers })
  }
  const booted = boot().catch(error => consola.error('[engine] failed to start:', error))

  nitroApp.hooks.hook('close', async () => {
    closing = true
    await booted
    await Promise.all([pool?.stop(), timers?.stop(), outbox?.stop()])
    await stopDbCheckpointer()
  })
})
