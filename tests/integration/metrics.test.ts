// The Prometheus registry on a real database, read back with a Prometheus text parser: the metric
// names and label sets of the design, fleet figures read at scrape time (discarded jobs left
// out), the stage histogram growing as jobs run, external calls counted by service and outcome,
// and a scrape that still answers when the database does not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, throwing, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { histogramOf, parseMetrics, valueOf } from '../support/prometheus'
import { renderMetrics, countDelivery } from '#layers/discubot/server/metrics/registry'
import { discardJob } from '#layers/discubot/server/pipeline/discard'
import { reportedCall } from '#layers/discubot/server/utils/external-requests'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import { runWithDb } from '#layers/discubot/server/utils/db'
import * as schema from '#layers/discubot/server/database/schema'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

const scrape = async () => parseMetrics((await renderMetrics()).body)

describe('metrics', () => {
  it('names every family of the design with its type, and the default process metrics', async () => {
    const { contentType, body } = await renderMetrics()
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/)
    const { families } = parseMetrics(body)
    expect(Object.fromEntries(['discubot_jobs', 'discubot_queue_oldest_pending_seconds', 'discubot_job_stage_duration_seconds', 'discubot_webhook_deliveries_total', 'discubot_external_requests_total']
      .map(name => [name, families.get(name)?.type]))).toEqual({
      discubot_jobs: 'GAUGE',
      discubot_queue_oldest_pending_seconds: 'GAUGE',
      discubot_job_stage_duration_seconds: 'HISTOGRAM',
      discubot_webhook_deliveries_total: 'COUNTER',
      discubot_external_requests_total: 'COUNTER',
    })
    expect(families.get('discubot_jobs')!.metrics.map(m => m.labels)).toEqual(['pending', 'processing', 'completed', 'failed'].map(status => ({ status })))
    expect(families.has('process_cpu_user_seconds_total')).toBe(true)
    expect(families.has('nodejs_eventloop_lag_seconds')).toBe(true)
  })

  it('reads the fleet from the database at scrape time and counts this process\'s work', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const other = await seedTeamWithSlackConfig(t.db, 'team-b')
    const before = await scrape()
    const stageRuns = (stage: string, outcome: string) => histogramOf(before, 'discubot_job_stage_duration_seconds', { stage, outcome })?.count ?? 0

    await queueSlackJob(team.id, config.id, '1.1')
    const { jobId: failing } = await queueSlackJob(other.team.id, other.config.id, '1.2') as { jobId: string }
    await queueSlackJob(team.id, config.id, '1.3')
    const failOnce = fakeWorld({ onFetch: throwing(new PermanentError('channel_not_found')) })
    expect(await runNext(fakeWorld().services, testSettings())).toBe('completed')
    expect(await runNext(failOnce.services, testSettings())).toBe('failed')
    countDelivery('slack', 'ignored')

    const after = await scrape()
    // Every team's jobs: the third is still pending, due, and has waited since it was queued.
    expect(['pending', 'processing', 'completed', 'failed'].map(status => valueOf(after, 'discubot_jobs', { status }))).toEqual([1, 0, 1, 1])
    expect(valueOf(after, 'discubot_queue_oldest_pending_seconds')).toBeGreaterThan(0)
    const runsNow = (stage: string, outcome: string) => histogramOf(after, 'discubot_job_stage_duration_seconds', { stage, outcome })?.count ?? 0
    expect(runsNow('notification', 'ok') - stageRuns('notification', 'ok')).toBe(1)
    expect(runsNow('thread_building', 'ok') - stageRuns('thread_building', 'ok')).toBe(1)
    expect(runsNow('thread_building', 'failed') - stageRuns('thread_building', 'failed')).toBe(1)
    const { buckets } = histogramOf(after, 'discubot_job_stage_duration_seconds', { stage: 'notification', outcome: 'ok' })!
    const bounds = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '60', '120', '300', '+Inf']
    expect(Object.keys(buckets).sort()).toEqual([...bounds].sort())
    // Cumulative: never fewer in a wider bucket.
    expect(bounds.map(le => buckets[le])).toEqual(bounds.map(le => buckets[le]).sort((a, b) => a! - b!))
    expect(buckets['+Inf']).toBe(runsNow('notification', 'ok'))
    expect(valueOf(after, 'discubot_webhook_deliveries_total', { source: 'slack', outcome: 'ignored' }) - valueOf(before, 'discubot_webhook_deliveries_total', { source: 'slack', outcome: 'ignored' })).toBe(1)

    // A discarded failure leaves the failed count.
    await discardJob({ teamId: other.team.id, jobId: failing, userId: 'u1' })
    expect(valueOf(await scrape(), 'discubot_jobs', { status: 'failed' })).toBe(0)
  })

  it('counts calls to the outside world by service and outcome', async () => {
    const before = await scrape()
    await reportedCall('notion', async () => 'page')
    await expect(reportedCall('notion', () => Promise.reject(new TransientError('Notion 429 rate_limited')))).rejects.toThrow()
    await expect(reportedCall('model', () => Promise.reject(new PermanentError('Anthropic 401')))).rejects.toThrow()
    const after = await scrape()
    const delta = (service: string, outcome: string) => valueOf(after, 'discubot_external_requests_total', { service, outcome }) - valueOf(before, 'discubot_external_requests_total', { service, outcome })
    expect([delta('notion', 'ok'), delta('notion', 'transient'), delta('model', 'permanent')]).toEqual([1, 1, 1])
  })

  it('still answers without the fleet figures when the database does not', async () => {
    const broken = drizzle(createClient({ url: ':memory:' }), { schema })
    const { families } = await runWithDb(broken, scrape)
    expect(families.has('process_cpu_user_seconds_total')).toBe(true)
    expect(families.get('discubot_jobs')?.metrics ?? []).toEqual([])
  })
})
