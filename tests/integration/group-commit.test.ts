// Group commit at ingest (utils/group-commit.ts, webhooks/hand-off.ts): deliveries that arrive
// together share one transaction, each is answered only after that transaction committed, with its
// own outcome; a failed transaction fails every delivery in it (each answered 503), and commits
// none of their rows.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { queueSlackJob, seedTeamWithSlackConfig, slackInput } from '../support/engine-fixtures'
import { discubotJobs } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotWebhookEvents } from '#layers/discubot/collections/webhook-events/server/database/schema'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { settleDelivery } from '#layers/discubot/server/webhooks/dispatch'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => {
  vi.restoreAllMocks()
  t.cleanup()
})

describe('group commit at ingest', () => {
  it('deliveries arriving together share one transaction, each answered after it committed, with its own outcome', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const client = useDbClient()
    const events: string[] = []
    const batch = client.batch.bind(client)
    const spy = vi.spyOn(client, 'batch').mockImplementation(async (...args: Parameters<typeof client.batch>) => {
      const results = await batch(...args)
      events.push(`committed ${args[0].length} statements`)
      return results
    })
    const answers = await Promise.all([
      queueSlackJob(team.id, config.id, '1.1', 'Ev-1').then((answer) => {
        events.push('answered')
        return answer
      }),
      queueSlackJob(team.id, config.id, '2.1', 'Ev-2').then((answer) => {
        events.push('answered')
        return answer
      }),
      // A re-delivery in the same group: a duplicate of the first, as if it had come a moment later.
      queueSlackJob(team.id, config.id, '1.1', 'Ev-1').then((answer) => {
        events.push('answered')
        return answer
      }),
    ])
    expect(spy).toHaveBeenCalledTimes(1)
    expect(events).toEqual(['committed 18 statements', 'answered', 'answered', 'answered'])
    const [first, second, again] = answers as { status: string, jobId: string }[]
    expect(first).toMatchObject({ status: 'accepted' })
    expect(second).toMatchObject({ status: 'accepted' })
    expect(again).toEqual({ status: 'duplicate', jobId: first!.jobId })
    const jobs = await t.db.select({ id: discubotJobs.id }).from(discubotJobs)
    expect(jobs.map(job => job.id).sort()).toEqual([first!.jobId, second!.jobId].sort())
  })

  it('a failed transaction answers 503 to every delivery in it and leaves none of their rows', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const client = useDbClient()
    vi.spyOn(client, 'batch').mockRejectedValueOnce(new Error('SQLITE_IOERR: disk I/O error'))
    const deliver = (eventId: string, threadTs: string) => settleDelivery('slack', config, { kind: 'discussion', eventId, input: slackInput(threadTs) })
    const answers = await Promise.allSettled([deliver('Ev-a', '3.1'), deliver('Ev-b', '4.1'), deliver('Ev-c', '5.1')])
    expect(answers.map(answer => answer.status)).toEqual(['rejected', 'rejected', 'rejected'])
    for (const answer of answers) expect((answer as PromiseRejectedResult).reason).toMatchObject({ statusCode: 503 })
    expect(await t.db.select().from(discubotJobs)).toEqual([])
    expect(await t.db.select().from(discubotWebhookEvents).where(eq(discubotWebhookEvents.teamId, team.id))).toEqual([])

    // The next group commits as usual.
    expect(await deliver('Ev-a', '3.1')).toMatchObject({ status: 'accepted' })
  })

  it('one writer whose statements are wrong fails alone; the others in its group commit', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const deliver = (eventId: string, threadTs: string, teamId = team.id) => settleDelivery('slack', { ...config, teamId }, { kind: 'discussion', eventId, input: slackInput(threadTs) })
    // A team deleted under a delivery in flight: its rows break a foreign key.
    const answers = await Promise.allSettled([deliver('Ev-x', '6.1'), deliver('Ev-y', '7.1', 'no-such-team'), deliver('Ev-z', '8.1')])
    expect(answers.map(answer => answer.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const jobs = await t.db.select({ teamId: discubotJobs.teamId }).from(discubotJobs)
    expect(jobs.map(job => job.teamId)).toEqual([team.id, team.id])
  })
})
