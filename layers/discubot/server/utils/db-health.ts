// Whether this instance can write to the database right now, as seen by the writes it makes
// anyway (claimed jobs, webhook commits), and /api/health can say "unwritable" while the file is
// locked or read-only. An idle poll only reads, so after a failed write the idle workers probe
// (probeDbWrite) until writing works again: no probe traffic while all is well.
import { messageOf } from './errors'
import { useDbClient } from './db'

let lastSuccessAt = 0
let lastFailure: { at: number, message: string } | undefined

export function noteDbWrite(outcome: { ok: true } | { ok: false, error: unknown }) {
  if (outcome.ok) lastSuccessAt = Date.now()
  else lastFailure = { at: Date.now(), message: messageOf(outcome.error) }
}

export function dbWriteHealth(): { writable: boolean, failingSince?: string, lastError?: string } {
  if (!lastFailure || lastFailure.at < lastSuccessAt) return { writable: true }
  return { writable: false, failingSince: new Date(lastFailure.at).toISOString(), lastError: lastFailure.message }
}

/** Takes the write lock and writes nothing (BEGIN IMMEDIATE, COMMIT), noting what happened. */
export async function probeDbWrite(): Promise<void> {
  try {
    await useDbClient().batch([], 'write')
    noteDbWrite({ ok: true })
  }
  catch (error) {
    noteDbWrite({ ok: false, error })
  }
}
