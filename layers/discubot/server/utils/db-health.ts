// Whether this instance can write to the database right now, as seen by the writes it makes
// anyway (queue claims every poll, webhook commits): no extra probe traffic, and /api/health can
// say "unwritable" while the file is locked or read-only.
import { messageOf } from './errors'

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
