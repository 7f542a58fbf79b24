// Settings of the whole instance, shown on the Settings page. Retention is editable and lives in
// the cleanup timer's params (a row, like the schedule); worker concurrency is per process (env).
import { useSettings } from '../utils/settings'
import { CLEANUP_TIMER } from '../timers/cleanup-timer'
import { savedRetentionDays } from '../timers/cleanup'
import { getDiscubotTimerByName, mergeDiscubotTimerParams } from '../../collections/timers/server/database/queries'
import type { SettingsPatch } from '../../shared/admin-input'
import type { InstanceSettings } from '../../shared/api'

export async function getInstanceSettings(): Promise<InstanceSettings> {
  const settings = useSettings()
  const timer = await getDiscubotTimerByName(CLEANUP_TIMER)
  const saved = savedRetentionDays(timer)
  return {
    jobRetentionDays: saved ?? settings.jobRetentionDays,
    jobRetentionSource: saved ? 'saved' : 'env',
    envJobRetentionDays: settings.jobRetentionDays,
    workerConcurrency: settings.workerConcurrency,
    cleanup: timer
      ? { intervalMs: timer.intervalMs, nextRunAt: timer.nextRunAt, lastRunAt: timer.lastRunAt, lastResult: timer.lastResult, lastError: timer.lastError, runCount: timer.runCount }
      : null,
  }
}

export async function updateInstanceSettings(patch: SettingsPatch, userId: string): Promise<InstanceSettings> {
  const timer = await mergeDiscubotTimerParams(CLEANUP_TIMER, { retentionDays: patch.jobRetentionDays }, userId)
  if (!timer) throw new Error('Discubot: the cleanup schedule does not exist yet; the server is still starting')
  return getInstanceSettings()
}
