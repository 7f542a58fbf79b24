// A stage's live progress (ctx.progress): a fraction and the last few messages, kept on its stage
// row for the timeline. Written like every worker write (fenced by the lease), but at most every
// THROTTLE_MS: a stage may report per page or per task without a write each; the last report of
// a burst is written when the window ends, or with the stage's checkpoint (`flush`), whichever
// comes first. A write that fails is only logged: progress is news, the checkpoint is what
// matters (and a lost lease is the heartbeat's to notice).
import { consola } from 'consola'
import type { JobRef } from '../../collections/jobs/server/database/lifecycle'
import { recordStageProgress } from '../../collections/jobs/server/database/lifecycle'
import type { StageName } from '../../shared/domain'
import type { StageMessage } from '../../shared/schemas'
import { messageOf } from '../utils/errors'
import { withContext } from '../utils/logging'
import type { Write } from './types'

export const THROTTLE_MS = 500
/** Messages a stage row keeps, newest last. */
export const KEPT_MESSAGES = 8

const log = consola.withTag('pipeline')

export type ProgressReport = (fraction: number | null, message?: string) => void

export interface StageProgress {
  report: ProgressReport
  /** What is not written yet, as a statement for the checkpoint's batch (and no later write). */
  flush(): Write[]
}

export function stageMessage(text: string, at = new Date()): StageMessage {
  return { at: at.toISOString(), text: text.slice(0, 500) }
}

/** The `ctx.progress` of one stage attempt, starting from the messages its row already has. */
export function progressReporter(job: JobRef, stage: StageName, earlier: StageMessage[] | null | undefined, fenced: (writes: Write[]) => Promise<void>): StageProgress {
  let messages = [...(earlier ?? [])]
  let fraction: number | null = null
  let lastWrite = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const write = () => {
    timer = undefined
    lastWrite = Date.now()
    fenced([recordStageProgress(job, stage, fraction, messages)])
      .catch(error => withContext(log, { jobId: job.id, teamId: job.teamId, stage }).debug(`progress not recorded: ${messageOf(error)}`))
  }

  return {
    report(next, message) {
      if (next !== null) fraction = Math.min(1, Math.max(0, next))
      if (message) messages = [...messages, stageMessage(message)].slice(-KEPT_MESSAGES)
      if (timer) return
      const wait = lastWrite + THROTTLE_MS - Date.now()
      if (wait <= 0) write()
      else {
        timer = setTimeout(write, wait)
        timer.unref?.()
      }
    },
    flush() {
      if (!timer) return []
      clearTimeout(timer)
      timer = undefined
      return [recordStageProgress(job, stage, fraction, messages)]
    },
  }
}
