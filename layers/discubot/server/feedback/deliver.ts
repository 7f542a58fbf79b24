// One outbox row, delivered: its kind's deliverer runs, and the outcome is settled in one batch
// (with the rows a fan-out creates). Failures are classified like a stage's: transient → again
// later with the stages' backoff (honouring Retry-After) until the attempts run out; permanent
// (a 4xx, a missing config) → failed for good, with the reason on the row.
import { consola } from 'consola'
import type { OutboxKind } from '../../shared/domain'
import { commitOutboxWrites, settleOutboxItem, type OutboxSettlement } from '../../collections/outbox/server/database/queries'
import type { DiscubotOutboxItem } from '../../collections/outbox/server/database/schema'
import { backoffDelay } from '../utils/backoff'
import { classifyError } from '../utils/errors'
import type { Write } from '../utils/db'
import { deliverReactions } from './reactions'
import { deliverFailureNote } from './failure-note'
import { deliverAlert, deliverAlertToTarget } from './alerts/deliver'
import type { Deliverer, DeliveryContext } from './types'

const log = consola.withTag('outbox')

const DELIVERERS: Record<OutboxKind, Deliverer> = {
  reactions: deliverReactions,
  failure_note: deliverFailureNote,
  alert: deliverAlert,
  alert_delivery: deliverAlertToTarget,
}

export async function deliverOutboxItem(item: DiscubotOutboxItem, owner: string, ctx: DeliveryContext): Promise<OutboxSettlement> {
  let settlement: OutboxSettlement
  let writes: Write[] = []
  try {
    const { writes: created, ...settled } = await DELIVERERS[item.kind](item, ctx)
    settlement = settled
    writes = created ?? []
  }
  catch (error) {
    settlement = failure(item, error, ctx)
  }
  if (settlement.status === 'failed') log.warn(`${item.kind} ${item.dedupeKey}: ${settlement.error}`)
  await commitOutboxWrites([...writes, ...settleOutboxItem(item, owner, settlement)])
  return settlement
}

function failure(item: DiscubotOutboxItem, error: unknown, ctx: DeliveryContext): OutboxSettlement {
  const now = Date.now()
  const classified = classifyError(error)
  // Stopped mid-delivery (shutdown, lease lost): not this attempt's fault, try again at once.
  if (ctx.signal.aborted) return { status: 'retry', runAt: new Date(now), error: `Interrupted: ${classified.message}` }
  const { retryBaseMs, retryMaxMs, stageMaxAttempts } = ctx.settings
  if (classified.kind === 'transient' && item.attempts < stageMaxAttempts) {
    const delay = backoffDelay(item.attempts, { baseMs: retryBaseMs, capMs: retryMaxMs, maxRetryAfterMs: 60 * 60_000 }, classified.retryAfterMs)
    return { status: 'retry', runAt: new Date(now + delay), error: classified.message }
  }
  return { status: 'failed', error: classified.kind === 'transient' ? `Gave up after ${item.attempts} attempts: ${classified.message}` : classified.message }
}
