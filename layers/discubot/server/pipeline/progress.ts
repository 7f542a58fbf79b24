// A stage's live progress (ctx.progress): a fraction and the last few messages, kept on its stage
// row for the timeline. Written like every worker write (fenced by the lease), but coalesced: the
// first report of a stage is written COALESCE_MS later (as it was reported), unless the stage's
// checkpoint comes first and carries it — a quick stage never pays a transaction for its news —
// and later reports at most every THROTTLE_MS, the last of a burst when the window ends or with
// the checkpoint (`flush`), whichever comes first. A write that fails is only logged: progress is
// news, the checkpoint is what matters (and a lost lease is the heartbeat's to notice).
import { consola } from 'consola'
import type { JobRef } from '../../collections/jobs/server/database/lifecycle'
import { recordStageProgress } from '../../collections/jobs/server/database/lifecycle'
import type { StageName } from '../../shared/domain'
import type { StageMessage } from '../../shared/schemas'
import { messageOf } from '../utils/errors'
import { withContext } from '../utils/logging'
import type { Write } from './types'

export const THROTTLE_MS = 500
/** How long the first report of a stage waits for the stage's checkpoint before it is written on its own. */
export const COALESCE_MS = 50
/** Messages a stage row keeps, newest last. */
export const KEPT_MESSAGES = 8

const log = consola.withTag('pipeline')

export type ProgressReport = (fraction: number | null, message?: string) => void

export interface StageProgress {
  report: ProgressReport
  /** What is not written yet, as a statement for the checkpoint's batch (and no later write). */
  flush(): Write[]
  /** The stage ended without a checkpoint: nothing more is written. */
  cancel(): void
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
  /** The first report, as it was when reported: what the coalesced first write says. */
  let first: { fraction: number | null, messages: StageMessage[] } | undefined

  const write = (state: { fraction: number | null, messages: StageMessage[] }) => {
    timer = undefined
    lastWrite = Date.now()
    fenced([recordStageProgress(job, stage, state.fraction, state.messages)])
      .catch(error => withContext(log, { jobId: job.id, teamId: job.teamId, stage }).debug(`progress not recorded: ${messageOf(error)}`))
  }
  const later = (wait: number, run: () => void) => {
    timer = setTimeout(run, wait)
    timer.unref?.()
  }

  return {
    report(next, message) {
      if (next !== null) fraction = Math.min(1, Math.max(0, next))
      if (message) messages = [...messages, stageMessage(message)].slice(-KEPT_MESSAGES)
      if (timer) return
      if (lastWrite === 0 && !first) {
        first = { fraction, messages }
        // Whatever arrives before it is written waits for the next window (or the checkpoint).
        later(COALESCE_MS, () => {
          write(first!)
          if (fraction !== first!.fraction || messages !== first!.messages) later(THROTTLE_MS, () => write({ fraction, messages }))
        })
        return
      }
      const wait = lastWrite + THROTTLE_MS - Date.now()
      if (wait <= 0) write({ fraction, messages })
      else later(wait, () => write({ fraction, messages }))
    },
    flush() {
      if (!timer) return []
      clearTimeout(timer)
      timer = undefined
      return [recordStageProgress(job, stage, fraction, messages)]
    },
    cancel() {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
