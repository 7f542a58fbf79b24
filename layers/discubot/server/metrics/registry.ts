// Discubot's Prometheus metrics (prom-client, one registry per process, made once with this
// module). Two kinds (../shared/reference/observability.md §2):
// - fleet figures read from the database at scrape time (`collect`), so any instance answers for
//   all of them — never sum them across instances;
// - per-process counters and the stage-duration histogram, which restart at zero with the process
//   (`rate()` copes), plus the default process metrics.
// Labels are closed lists (status, stage, outcome, source, service): never an id, e-mail or URL.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { consola } from 'consola'
import { JOB_STATUSES, type JobStatus, type SourceType, type StageName } from '../../shared/domain'
import { countFleetJobsByStatus, oldestDuePendingMs } from '../../collections/jobs/server/database/stats'
import { onExternalRequest } from '../utils/external-requests'
import { messageOf } from '../utils/errors'

const log = consola.withTag('metrics')

export const registry = new Registry()
collectDefaultMetrics({ register: registry })

/** What became of a webhook delivery: the inbox outcomes, plus answers that stored nothing. */
export type DeliveryMetricOutcome = 'accepted' | 'duplicate' | 'ignored' | 'unknown_workspace' | 'rejected' | 'invalid' | 'unavailable' | 'handshake'

export const webhookDeliveries = new Counter({
  name: 'discubot_webhook_deliveries_total',
  help: 'Webhook deliveries answered by this process, by source and outcome.',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
})

const externalRequests = new Counter({
  name: 'discubot_external_requests_total',
  help: 'Calls to Slack, Figma, Notion and the model made by this process, by service and outcome (ok, transient, permanent).',
  labelNames: ['service', 'outcome'] as const,
  registers: [registry],
})
onExternalRequest((service, outcome) => externalRequests.inc({ service, outcome }))

export type StageOutcome = 'ok' | 'retry' | 'failed'

const stageDuration = new Histogram({
  name: 'discubot_job_stage_duration_seconds',
  help: 'Time one attempt of a pipeline stage took in this process, by stage and outcome (ok, retry, failed).',
  labelNames: ['stage', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
})

export function countDelivery(source: SourceType, outcome: DeliveryMetricOutcome) {
  webhookDeliveries.inc({ source, outcome })
}

export function observeStageDuration(stage: StageName, outcome: StageOutcome, durationMs: number) {
  stageDuration.observe({ stage, outcome }, durationMs / 1000)
}

// ---------------------------------------------------------------- fleet figures, read at scrape time

interface FleetFigures {
  jobs: Record<JobStatus, number>
  oldestDuePendingSeconds: number
}

/** The read in flight: both fleet gauges of one scrape (collected together) share it. */
let fleetRead: Promise<FleetFigures | null> | undefined

/** Null when the database does not answer: the fleet series are left out and the scrape still succeeds. */
function fleetFigures(): Promise<FleetFigures | null> {
  fleetRead ??= Promise.all([countFleetJobsByStatus(), oldestDuePendingMs()])
    .then(([jobs, oldest]) => ({ jobs, oldestDuePendingSeconds: oldest / 1000 }))
    .catch((error) => {
      log.warn(`fleet metrics not read, left out of this scrape: ${messageOf(error)}`)
      return null
    })
    .finally(() => {
      fleetRead = undefined
    })
  return fleetRead
}

new Gauge({
  name: 'discubot_jobs',
  help: 'Jobs in the database by status, every team and instance (discarded failed jobs left out).',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    this.reset()
    const figures = await fleetFigures()
    if (figures) for (const status of JOB_STATUSES) this.set({ status }, figures.jobs[status])
  },
})

new Gauge({
  name: 'discubot_queue_oldest_pending_seconds',
  help: 'How long the longest-waiting due job has waited past its run time (0 when none waits); jobs backing off until later do not count.',
  registers: [registry],
  async collect() {
    this.reset()
    const figures = await fleetFigures()
    if (figures) this.set(figures.oldestDuePendingSeconds)
  },
})

export async function renderMetrics(): Promise<{ contentType: string, body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() }
}
