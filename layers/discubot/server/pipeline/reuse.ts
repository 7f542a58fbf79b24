import type { StageContext } from './types'

/**
 * A retry reuses what the discussion already has (its thread, its analysis) unless whoever asked
 * for it chose to fetch the thread again or to analyse again. Task idempotency keys still keep
 * a page from being created twice whatever the new analysis says.
 */
export function reusesStored(ctx: StageContext, part: 'thread' | 'analysis'): boolean {
  const { isRetry, refetchThread, reanalyze } = ctx.job.metadata
  return Boolean(isRetry) && !(part === 'thread' ? refetchThread : reanalyze)
}
