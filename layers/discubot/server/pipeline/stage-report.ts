// What the runner says when a stage attempt ends: the duration histogram and one log line carrying
// the job, team and stage as fields (JSON logs), so "what happened to job X" is a grep.
import { consola } from 'consola'
import type { JobRef } from '../../collections/jobs/server/database/lifecycle'
import type { StageName } from '../../shared/domain'
import { observeStageDuration, type StageOutcome } from '../metrics/registry'
import { withContext } from '../utils/logging'

const log = consola.withTag('pipeline')

/** A logger whose lines carry the job (and stage) as fields. */
export function jobLog(job: JobRef, stage?: StageName) {
  return withContext(log, { jobId: job.id, teamId: job.teamId, ...(stage ? { stage } : {}) })
}

/** `cancelled`: the stage never ran, so it is logged but not timed. */
export function reportStageEnd(job: JobRef, stage: StageName, outcome: StageOutcome | 'cancelled', durationMs: number, detail = '') {
  if (outcome !== 'cancelled') observeStageDuration(stage, outcome, durationMs)
  const words = { ok: 'completed', retry: 'will be retried', failed: 'failed', cancelled: 'not started' }[outcome]
  jobLog(job, stage)[outcome === 'ok' ? 'info' : 'warn'](`job ${job.id}: ${stage} ${words} after ${durationMs} ms${detail ? `: ${detail}` : ''}`)
}
