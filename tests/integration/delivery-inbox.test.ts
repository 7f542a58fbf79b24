// The webhook inbox on a real database: every delivery leaves a row with its outcome — accepted
// (with its job), duplicate (pointing at the first copy's job), ignored (with the reason, repeats
// counted), rejected (no body, one row per source and hour) — the list answers by team, source,
// outcome and time, and a database failure while recording an ignored delivery changes no answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { createTempDb, type TempDb } from '../support/temp-db'
import { queueSlackJob, seedTeamWithSlackConfig } from '../support/engine-fixtures'
import { discubotWebhookEvents } from '#layers/discubot/collections/webhook-events/server/database/schema'
import { listDiscubotDeliveries, recordUnknownWorkspaceDelivery } from '#layers/discubot/collections/webhook-events/server/database/queries'
import { deliveryListQuerySchema } from '#layers/discubot/shared/list-query'
import { recordIgnoredDelivery, recordRejectedDelivery } from '#layers/discubot/server/webhooks/inbox'
import { runCleanup } from '#layers/discubot/server/timers/cleanup'
import { runWithDb, type Db } from '#layers/discubot/server/utils/db'
import * as schema from '#layers/discubot/server/database/schema'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

const list = (teamId: string, query: Record<string, string>, withUnattributed = false) =>
  listDiscubotDeliveries(teamId, deliveryListQuerySchema.parse(query), withUnattributed)

describe('delivery inbox', () => {
  it('records accepted and duplicate deliveries in the hand-off batch, each pointing at the one job', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const first = await queueSlackJob(team.id, config.id, '1.1', 'Ev-1')
    const again = await queueSlackJob(team.id, config.id, '1.1', 'Ev-1')
    await queueSlackJob(team.id, config.id, '1.1', 'Ev-1')
    expect(first).toMatchObject({ status: 'accepted' })
    expect(again).toEqual({ status: 'duplicate', jobId: (first as { jobId: string }).jobId })

    const page = await list(team.id, {})
    expect(page.items.map(row => [row.outcome, row.eventId, row.jobId, row.redeliveries]).sort()).toEqual([
      ['accepted', 'Ev-1', (first as { jobId: string }).jobId, 2],
      ['duplicate', 'duplicate:Ev-1', (first as { jobId: string }).jobId, 1],
    ])
    expect((await list(team.id, { outcome: 'duplicate' })).total).toBe(1)
  })

  it('records ignored deliveries with their reason (repeats on one row) and rejected ones per source and hour', async () => {
    const { team } = await seedTeamWithSlackConfig(t.db)
    await recordIgnoredDelivery('slack', team.id, 'message from a bot', 'T1:C1:1.5')
    await recordIgnoredDelivery('slack', team.id, 'message from a bot', 'T1:C1:1.5')
    await recordIgnoredDelivery('figma', team.id, 'comment does not contain @discubot', 'w:f:c1')
    const tenOClock = new Date('2020-03-02T10:05:00Z')
    await recordRejectedDelivery('slack', 'X-Slack-Signature does not match', tenOClock)
    await recordRejectedDelivery('slack', 'X-Slack-Signature does not match', new Date('2020-03-02T10:59:00Z'))
    await recordRejectedDelivery('slack', 'Missing X-Slack-Signature or X-Slack-Request-Timestamp header', new Date('2020-03-02T11:00:00Z'))
    await recordRejectedDelivery('figma', 'Figma passcode does not match any active Figma config for webhook 9', tenOClock)
    await recordUnknownWorkspaceDelivery({ source: 'slack', eventId: 'T9:Ev9' }, 'Slack workspace T9 has no active config')

    const ignored = await list(team.id, { outcome: 'ignored', source: 'slack' })
    expect(ignored.items).toEqual([expect.objectContaining({ eventId: 'ignored:T1:C1:1.5', detail: 'message from a bot', redeliveries: 1, teamId: team.id })])
    expect((await list(team.id, { q: 'discubot' })).items.map(row => row.source)).toEqual(['figma'])

    // No team can be named for a forged request or an unknown workspace: only the instance's team sees them.
    expect((await list(team.id, { outcome: 'rejected' })).total).toBe(0)
    const rejected = await list(team.id, { outcome: 'rejected', source: 'slack', order: 'asc' }, true)
    expect(rejected.items.map(row => [row.eventId, row.redeliveries + 1, row.detail, row.teamId])).toEqual([
      ['rejected:2020-03-02T10', 2, 'X-Slack-Signature does not match', null],
      ['rejected:2020-03-02T11', 1, 'Missing X-Slack-Signature or X-Slack-Request-Timestamp header', null],
    ])
    expect((await list(team.id, { outcome: 'unknown_workspace' }, true)).total).toBe(1)
    expect((await list(team.id, { from: '2020-03-02T10:30:00Z', to: '2020-03-02T12:00:00Z' }, true)).items.map(row => row.eventId)).toEqual(['rejected:2020-03-02T11'])
  })

  it('rejects bad filters naming them', () => {
    const result = deliveryListQuerySchema.safeParse({ outcome: 'lost', source: 'teams', from: 'yesterday' })
    expect(result.success).toBe(false)
    expect(result.error!.issues.map(issue => issue.path.join('.')).sort()).toEqual(['from', 'outcome', 'source'])
  })

  it('answers as usual when the database fails while recording an ignored or rejected delivery', async () => {
    // A database without the inbox table: every insert fails.
    const broken: Db = drizzle(createClient({ url: ':memory:' }), { schema })
    await expect(runWithDb(broken, () => recordIgnoredDelivery('slack', 'team', 'message from a bot'))).resolves.toBeUndefined()
    await expect(runWithDb(broken, () => recordRejectedDelivery('figma', 'bad passcode'))).resolves.toBeUndefined()
  })

  it('is pruned by the cleanup with the jobs', async () => {
    const { team } = await seedTeamWithSlackConfig(t.db)
    await recordIgnoredDelivery('slack', team.id, 'message from a bot', 'old')
    await recordRejectedDelivery('slack', 'X-Slack-Signature does not match', new Date(Date.now() - 40 * 86_400_000))
    await t.db.update(discubotWebhookEvents).set({ receivedAt: new Date(Date.now() - 40 * 86_400_000) })
    await recordIgnoredDelivery('slack', team.id, 'message from a bot', 'new')
    expect(await runCleanup({ retentionDays: 30 })).toMatchObject({ deliveriesDeleted: 2 })
    expect((await t.db.select().from(discubotWebhookEvents)).map(row => row.eventId)).toEqual(['ignored:new'])
  })
})
