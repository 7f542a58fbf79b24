// The inbox rows of deliveries that create no job: ignored ones (with the parser's reason) and
// refused signatures/passcodes (no body, counted per source and hour). Accepted and duplicate
// deliveries are recorded by the hand-off, in the batch that creates the job.
//
// Recording here is one statement, and it never changes the answer: an ignored delivery stays a
// 200 and a forged one a 401 even when the database fails, because a 5xx would only make the
// sender retry a delivery we do not want, again and again. A failed record is logged (at most
// once a minute per source and outcome) and the metric still counts the delivery.
import { consola } from 'consola'
import { inboxKeys, recordDeliveryOutcome, type OutcomeRecord } from '../../collections/webhook-events/server/database/queries'
import type { WebhookSourceType } from '../../shared/domain'
import { messageOf } from '../utils/errors'

const log = consola.withTag('webhooks')
const WARN_EVERY_MS = 60_000
const lastWarned = new Map<string, number>()

async function record(outcome: OutcomeRecord, at?: Date): Promise<void> {
  try {
    await recordDeliveryOutcome(outcome, at)
  }
  catch (error) {
    const key = `${outcome.source}:${outcome.status}`
    if (Date.now() - (lastWarned.get(key) ?? 0) < WARN_EVERY_MS) return
    lastWarned.set(key, Date.now())
    log.warn(`[${outcome.source}] ${outcome.status} delivery not recorded in the inbox (answered as usual): ${messageOf(error)}`)
  }
}

/** `eventId`: the delivery's own key when the parser could read one (its repeats count on one row). */
export function recordIgnoredDelivery(source: WebhookSourceType, teamId: string, reason: string, eventId: string = crypto.randomUUID()): Promise<void> {
  return record({ source, teamId, status: 'ignored', eventId: inboxKeys.ignored(eventId), detail: reason })
}

export function recordRejectedDelivery(source: WebhookSourceType, reason: string, at = new Date()): Promise<void> {
  return record({ source, teamId: null, status: 'rejected', eventId: inboxKeys.rejected(at), detail: reason }, at)
}
