// The contract between the outbox loop and the deliverers: one signature per kind of row.
import type { Write } from '../utils/db'
import type { Settings } from '../utils/settings'
import type { OutboxSettlement } from '../../collections/outbox/server/database/queries'
import type { DiscubotOutboxItem } from '../../collections/outbox/server/database/schema'
import type { PipelineServices } from '../pipeline/types'

export interface DeliveryContext {
  settings: Settings
  /** Aborted when the lease on the row is lost or the instance shuts down. */
  signal: AbortSignal
  services: Pick<PipelineServices, 'source'>
  /** Test builds only: pauses at a named point (the job's `[hold:<point>]`) so a crash test can kill -9 there. */
  hold(point: string): Promise<void>
}

/** A settled delivery, with rows it creates (an alert's deliveries), committed with the settlement. */
export type Delivered = Exclude<OutboxSettlement, { status: 'retry' }> & { writes?: Write[] }

/** Throws a classified error to retry (transient) or fail (permanent) the row. */
export type Deliverer = (item: DiscubotOutboxItem, ctx: DeliveryContext) => Promise<Delivered>
