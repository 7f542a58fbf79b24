// Reactions, the failure note and the team alerts on a real libSQL file: the runner writes their
// intents in the batches of the job's own transitions (so a worker that lost its lease asks for
// nothing), and the outbox delivers them with a lease, idempotently, with the stages' retries.
// The outside world is the engine fixtures' fake source (reactions, replies) or, for alerts, the
// Slack stand-in and a local webhook receiver.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { fakeWorld, queueSlackJob, runNext, seedTeamWithSlackConfig, testSettings } from '../support/engine-fixtures'
import { seedJob } from '../support/seed-rows'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { startAlertReceiver, type AlertReceiver } from '../standins/alert-receiver'
import { discubotJobs } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotOutbox, type DiscubotOutboxItem } from '#layers/discubot/collections/outbox/server/database/schema'
import { discubotTeamAlerts } from '#layers/discubot/collections/team-alerts/server/database/schema'
import { armOutboxItem, claimDueOutboxItem, commitOutboxWrites, settleOutboxItem } from '#layers/discubot/collections/outbox/server/database/queries'
import { getTeamAlertSettings, readAlertWebhookSecret, resealTeamAlertSecrets, saveTeamAlertSettings } from '#layers/discubot/collections/team-alerts/server/database/queries'
import { updateDiscubotConfig } from '#layers/discubot/collections/configs/server/database/queries'
import { deliverOutboxItem } from '#layers/discubot/server/feedback/deliver'
import { reportStuckQueues } from '#layers/discubot/server/feedback/queue-watch'
import { retryDiscussion } from '#layers/discubot/server/pipeline/retry'
import { runCleanup } from '#layers/discubot/server/timers/cleanup'
import { PermanentError, TransientError } from '#layers/discubot/server/utils/errors'
import { configureSecretsKeyring } from '#layers/discubot/server/utils/secrets-key'
import { createKeyring } from '#layers/discubot/server/utils/secrets'
import type { PipelineServices } from '#layers/discubot/server/pipeline/types'
import type { Settings } from '#layers/discubot/server/utils/settings'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

const NOTION_NOT_SHARED = () => new PermanentError('Notion rejected the page (404 object_not_found): Could not find database', { service: 'Notion', status: 404, code: 'object_not_found' })

async function outboxRows(where?: Partial<Pick<DiscubotOutboxItem, 'kind' | 'teamId'>>) {
  const rows = await t.db.select().from(discubotOutbox).orderBy(discubotOutbox.createdAt)
  return rows.filter(row => (!where?.kind || row.kind === where.kind) && (!where?.teamId || row.teamId === where.teamId))
}

async function oneRow(kind: DiscubotOutboxItem['kind']) {
  const rows = await outboxRows({ kind })
  expect(rows, kind).toHaveLength(1)
  return rows[0]!
}

/** Claims and delivers every due row (as of `now`), like one outbox loop would; the settlements in order. */
async function deliverDue(services: Pick<PipelineServices, 'source'>, settings: Settings, now?: Date, hold: (point: string) => Promise<void> = async () => {}) {
  const owner = 'test-instance/boot/outbox/0'
  const settled = []
  const claim = () => claimDueOutboxItem(owner, settings.leaseMs, now ?? new Date())
  for (let item = await claim(); item; item = await claim()) {
    settled.push({ kind: item.kind, ...await deliverOutboxItem(item, owner, { settings, signal: new AbortController().signal, services, hold }) })
  }
  return settled
}

function fails(error: () => Error) {
  return () => {
    throw error()
  }
}

const byKind = (settled: { kind: string, status: string }[]) => settled.map(s => [s.kind, s.status]).sort((a, b) => a[0]!.localeCompare(b[0]!))

async function failingJob(threadTs = '300.1', error = NOTION_NOT_SHARED) {
  const { team, config } = await seedTeamWithSlackConfig(t.db)
  const world = fakeWorld({ onCreate: fails(error) })
  const settings = testSettings()
  const { jobId } = await queueSlackJob(team.id, config.id, threadTs) as { jobId: string }
  expect(await runNext(world.services, settings)).toBe('failed')
  return { team, config, world, settings, jobId }
}

describe('the runner asks for feedback in the batches of its transitions', () => {
  it('a job that starts asks for 👀; when it completes, for ✅ instead, and nothing else', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld()
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '100.1') as { jobId: string }
    let atStart: DiscubotOutboxItem[] = []
    expect(await runNext(world.services, settings, {
      hold: async (point) => {
        if (point === 'config_loading:start') atStart = await outboxRows()
      },
    })).toBe('completed')

    expect(atStart).toHaveLength(1)
    expect(atStart[0]).toMatchObject({ kind: 'reactions', dedupeKey: `reactions:${jobId}`, status: 'pending', jobId, payload: { state: 'working', sourceType: 'slack', configId: config.id } })
    const [row] = await outboxRows()
    expect(row).toMatchObject({ kind: 'reactions', status: 'pending', version: 2, payload: { state: 'completed' } })
    expect(await outboxRows()).toHaveLength(1)
  })

  it('a job that fails for good asks for ❌, one failure note in plain words with the job\'s link, and opens the team\'s failed-jobs window', async () => {
    const { team, jobId } = await failingJob()
    const [job] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, jobId))
    expect(await oneRow('reactions')).toMatchObject({ payload: { state: 'failed' } })
    expect(await oneRow('failure_note')).toMatchObject({
      dedupeKey: `failure-note:${jobId}`,
      status: 'pending',
      payload: {
        state: 'failed',
        marker: `discubot-failure:${jobId}`,
        text: 'I couldn\'t create the Notion tasks: the database isn\'t shared with the Discubot integration.',
        link: `http://discubot.test/jobs/${jobId}`,
      },
    })
    const window = await oneRow('alert')
    expect(window).toMatchObject({ teamId: team.id, status: 'pending', payload: { type: 'failed_jobs', since: job!.completedAt!.toISOString() } })
    // Due when the window (5 minutes by default) closes, plus a short grace.
    expect(window.runAt.getTime() - job!.completedAt!.getTime()).toBe(5 * 60_000 + 2000)
  })

  it('a refused credential alerts the team once per day, config and service', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const refused = () => new PermanentError('Anthropic rejected the request (401 authentication_error): invalid x-api-key', { service: 'Anthropic', status: 401 })
    const world = fakeWorld({ onAnalyze: fails(refused) })
    const settings = testSettings()
    await queueSlackJob(team.id, config.id, '400.1')
    await queueSlackJob(team.id, config.id, '400.2')
    expect(await runNext(world.services, settings)).toBe('failed')
    expect(await runNext(world.services, settings)).toBe('failed')
    const alerts = (await outboxRows({ kind: 'alert' })).filter(row => row.dedupeKey.startsWith('credentials:'))
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ payload: { type: 'credentials_refused', service: 'Anthropic', configId: config.id, detail: expect.stringContaining('401') } })
    const notes = await outboxRows({ kind: 'failure_note' })
    expect(notes.map(note => note.payload.text)).toEqual(Array(2).fill('I couldn\'t analyze this thread: the AI provider doesn\'t accept Discubot\'s API key.'))
  })

  it('when the source refused the thread itself, the note is written skipped, saying why', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({ onFetch: fails(() => new PermanentError('Slack conversations.replies failed: channel_not_found', { service: 'Slack', code: 'channel_not_found' })) })
    const settings = testSettings()
    await queueSlackJob(team.id, config.id, '500.1')
    expect(await runNext(world.services, settings)).toBe('failed')
    const note = await oneRow('failure_note')
    expect(note).toMatchObject({ status: 'skipped', lastError: expect.stringContaining('channel_not_found') })
    await deliverDue(world.services, settings)
    expect(world.calls.notes).toHaveLength(0)
    expect(world.calls.findReply).toBe(0)
  })

  it('a worker that lost its lease asks for nothing', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '600.1') as { jobId: string }
    const world = fakeWorld({
      onCreate: async () => {
        // Another instance took the job over meanwhile.
        await t.db.update(discubotJobs).set({ leaseToken: 'someone-else' }).where(eq(discubotJobs.id, jobId))
        throw NOTION_NOT_SHARED()
      },
    })
    expect(await runNext(world.services, settings)).toBe('lease_lost')
    expect((await outboxRows()).map(row => [row.kind, row.payload.state])).toEqual([['reactions', 'working']])
  })
})

describe('the outbox delivers', () => {
  it('the reactions the chain is in: 👀, then ❌ for a failure; a successful retry replaces ❌ with ✅ and marks the note fixed', async () => {
    const { team, world, settings, jobId } = await failingJob('700.1')
    expect(byKind(await deliverDue(world.services, settings))).toEqual([['failure_note', 'delivered'], ['reactions', 'delivered']])
    expect(world.calls.reacted).toEqual(['+x', '-eyes'])
    expect(world.reactions).toEqual(['x'])
    expect(world.calls.notes).toHaveLength(1)
    expect(world.calls.notes[0]).toMatchObject({ marker: `discubot-failure:${jobId}`, link: { url: `http://discubot.test/jobs/${jobId}` }, resolved: false })

    const [failed] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, jobId))
    const retry = await retryDiscussion({ teamId: team.id, discussionId: failed!.discussionId!, userId: 'system' })
    const healthy = fakeWorld()
    // The retry talks to the same thread: the same message's reactions and the note posted above.
    Object.assign(healthy.services, { source: world.services.source })
    expect(await runNext(healthy.services, settings)).toBe('completed')
    expect(byKind(await deliverDue(world.services, settings))).toEqual([['failure_note', 'delivered'], ['reactions', 'delivered']])
    expect(world.reactions).toEqual(['white_check_mark'])
    expect(world.calls.notes).toHaveLength(1)
    expect(world.calls.updated).toEqual([{ id: 'reply-1', reply: expect.objectContaining({ kind: 'note', resolved: true, link: { url: `http://discubot.test/jobs/${retry.jobId}`, label: expect.any(String) } }) }])
  })

  it('a reaction that fails for good is reported on its row and never touches the job; the others still happen', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({
      onReact: (reaction, add) => {
        if (add && reaction === 'white_check_mark') throw new PermanentError('Slack reactions.add failed: missing_scope', { service: 'Slack', code: 'missing_scope' })
      },
    })
    const settings = testSettings()
    const { jobId } = await queueSlackJob(team.id, config.id, '800.1') as { jobId: string }
    expect(await runNext(world.services, settings)).toBe('completed')
    const [settled] = await deliverDue(world.services, settings)
    expect(settled).toMatchObject({ status: 'failed', error: 'white_check_mark: Slack reactions.add failed: missing_scope' })
    expect(world.calls.reacted).toEqual(['+white_check_mark', '-eyes', '-x'])
    expect(await oneRow('reactions')).toMatchObject({ status: 'failed', result: { state: 'completed', reactions: { white_check_mark: 'failed', eyes: 'removed', x: 'removed' } } })
    const [job] = await t.db.select().from(discubotJobs).where(eq(discubotJobs.id, jobId))
    expect(job!.status).toBe('completed')
  })

  it('a transient error is retried with the stages\' backoff, and after the attempt limit the row fails', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({ onReact: fails(() => new TransientError('Slack reactions.add failed: ratelimited', { service: 'Slack', status: 429, retryAfterMs: 30_000 })) })
    const settings = testSettings({ stageMaxAttempts: 2 })
    await queueSlackJob(team.id, config.id, '900.1')
    expect(await runNext(world.services, settings)).toBe('completed')
    const before = Date.now()
    expect(await deliverDue(world.services, settings)).toEqual([expect.objectContaining({ status: 'retry', error: 'Slack reactions.add failed: ratelimited' })])
    const waiting = await oneRow('reactions')
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lockedBy: null })
    // Retry-After (30 s) wins over the computed backoff.
    expect(waiting.runAt.getTime()).toBeGreaterThanOrEqual(before + 30_000)
    expect(await deliverDue(world.services, settings)).toEqual([])

    expect(await deliverDue(world.services, settings, new Date(Date.now() + 120_000))).toEqual([expect.objectContaining({ status: 'failed', error: 'Gave up after 2 attempts: Slack reactions.add failed: ratelimited' })])
  })

  it('a row re-armed while a worker delivered its older intent is handed back, not settled', async () => {
    const { team } = await seedTeamWithSlackConfig(t.db)
    const thread = { kind: 'slack' as const, workspaceId: 'T1', channel: 'C1', threadTs: '1.0', messageTs: '1.0' }
    const intent = (state: string) => armOutboxItem({ teamId: team.id, kind: 'reactions', dedupeKey: 'reactions:r1', payload: { sourceType: 'slack', thread, configId: null, state } })
    await commitOutboxWrites([intent('working')])
    const claimed = (await claimDueOutboxItem('w/0', 10_000))!
    await commitOutboxWrites([intent('completed')])
    await commitOutboxWrites(settleOutboxItem(claimed, 'w/0', { status: 'delivered' }))
    expect(await oneRow('reactions')).toMatchObject({ status: 'pending', version: 2, lockedBy: null, deliveredAt: null, payload: { state: 'completed' } })
  })

  it('of several workers claiming at once, one gets the row; a live lease keeps it from the others', async () => {
    const { team } = await seedTeamWithSlackConfig(t.db)
    await commitOutboxWrites([armOutboxItem({ teamId: team.id, kind: 'alert', dedupeKey: 'test:race', payload: { type: 'test' } })])
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map(owner => claimDueOutboxItem(`w/${owner}`, 10_000)))
    expect(claims.filter(Boolean)).toHaveLength(1)
    expect(await claimDueOutboxItem('w/e', 10_000)).toBeUndefined()
    // Its worker died: once the lease ran out, another claims it, and the attempt is counted.
    expect(await claimDueOutboxItem('w/e', 10_000, new Date(Date.now() + 11_000))).toMatchObject({ lockedBy: 'w/e', attempts: 2 })
  })

  it('the failure note is posted once when a worker died between posting it and recording it', async () => {
    const { world, settings } = await failingJob('1000.1')
    await deliverDue(world.services, settings)
    expect(world.calls.notes).toHaveLength(1)
    // Play the crash: the row as it was claimed before the post, never settled, its lease run out.
    await t.db.update(discubotOutbox).set({ status: 'pending', lockedBy: 'dead/outbox/0', lockedUntil: new Date(Date.now() - 1), result: null }).where(eq(discubotOutbox.kind, 'failure_note'))
    const findsBefore = world.calls.findReply
    expect(await deliverDue(world.services, settings)).toEqual([expect.objectContaining({ kind: 'failure_note', status: 'delivered' })])
    expect(world.calls.findReply).toBe(findsBefore + 1)
    expect(world.calls.notes).toHaveLength(1)
  })

  it('no failure note where the source config switches them off, and the row says so', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    await updateDiscubotConfig(team.id, config.id, { failureNotes: false })
    const world = fakeWorld({ onCreate: fails(NOTION_NOT_SHARED) })
    const settings = testSettings()
    await queueSlackJob(team.id, config.id, '1100.1')
    expect(await runNext(world.services, settings)).toBe('failed')
    await deliverDue(world.services, settings)
    expect(world.calls.notes).toHaveLength(0)
    expect(await oneRow('failure_note')).toMatchObject({ status: 'skipped', lastError: `Failure notes are switched off for the source "${config.name}"` })
    expect(world.reactions).toEqual(['x'])
  })
})

describe('team alerts', () => {
  let slack: SlackStandin
  let receiver: AlertReceiver
  beforeEach(async () => {
    [slack, receiver] = await Promise.all([startSlackStandin(), startAlertReceiver()])
  })
  afterEach(async () => {
    configureSecretsKeyring(undefined)
    await Promise.all([slack.stop(), receiver.stop()])
  })

  /** A team whose Slack source is the stand-in's bot, alerts to `channel` and the receiver. */
  async function alertedTeam(channel = 'C0ALERTS', slug = 'default') {
    const { team, config } = await seedTeamWithSlackConfig(t.db, slug)
    await updateDiscubotConfig(team.id, config.id, { secrets: { botToken: slack.state.token } })
    slack.state.addChannel(channel)
    await saveTeamAlertSettings(team.id, { slackChannelId: channel, webhookUrl: receiver.endpoint, webhookSecret: 'whsec_test' }, 'system')
    return { team, config }
  }

  it('20 failures of a team make one alert, sent when the window closes, with the count and the top errors, once to each target', async () => {
    const { team, config } = await alertedTeam()
    const world = fakeWorld({ onCreate: fails(NOTION_NOT_SHARED) })
    const settings = testSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 2000 })
    for (let i = 0; i < 20; i++) await queueSlackJob(team.id, config.id, `2000.${i}`)
    for (let i = 0; i < 20; i++) expect(await runNext(world.services, settings)).toBe('failed')
    const windows = (await outboxRows({ kind: 'alert' })).filter(row => row.dedupeKey.startsWith('failed-jobs:'))
    expect(windows).toHaveLength(1)

    // Before the window closes nothing goes out; after it, one message per target.
    await deliverDue(world.services, settings)
    expect(await oneRow('alert')).toMatchObject({ status: 'pending' })
    await deliverDue(world.services, settings, new Date(windows[0]!.runAt.getTime() + 1))
    expect(await oneRow('alert')).toMatchObject({ status: 'delivered', result: { count: 20, targets: ['slack', 'webhook'] } })
    expect((await outboxRows({ kind: 'alert_delivery' })).map(row => [row.payload.target, row.status]).sort()).toEqual([['slack', 'delivered'], ['webhook', 'delivered']])

    const channelPosts = slack.state.posts.filter(post => post.channel === 'C0ALERTS')
    expect(channelPosts).toHaveLength(1)
    expect(channelPosts[0]!.text).toContain('*20 jobs failed between')
    expect(channelPosts[0]!.text).toContain('• 20× task_creation failed: Notion rejected the page (404 object_not_found)')
    expect(channelPosts[0]!.text).toMatch(/<http:\/\/discubot\.test\/jobs\?status=failed&from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d\|Open the failed jobs>/)
    const [hook] = receiver.received()
    expect(JSON.parse(hook!.body)).toMatchObject({ type: 'failed_jobs', id: windows[0]!.dedupeKey, count: 20, topErrors: [{ count: 20, error: expect.stringContaining('object_not_found') }] })
    expect(receiver.received()).toHaveLength(1)
  })

  it('a failure after the window closed opens the next window', async () => {
    const { team, config } = await seedTeamWithSlackConfig(t.db)
    const world = fakeWorld({ onCreate: fails(NOTION_NOT_SHARED) })
    const settings = testSettings({ alertWindowMs: 50 })
    await queueSlackJob(team.id, config.id, '2100.1')
    await queueSlackJob(team.id, config.id, '2100.2')
    expect(await runNext(world.services, settings)).toBe('failed')
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(await runNext(world.services, settings)).toBe('failed')
    const windows = (await outboxRows({ kind: 'alert' })).filter(row => row.dedupeKey.startsWith('failed-jobs:'))
    expect(windows).toHaveLength(2)
    expect(Date.parse(windows[1]!.payload.since as string)).toBeGreaterThanOrEqual(Date.parse(windows[0]!.payload.until as string))
  })

  it('a webhook answering 400 fails its delivery for good while the Slack one is delivered; no target set → skipped', async () => {
    const { team } = await alertedTeam()
    const settings = testSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 2000 })
    const services = fakeWorld().services
    receiver.faults.push({ kind: 'respond', route: 'POST /alerts', status: 400, body: { error: 'bad' } })
    await commitOutboxWrites([armOutboxItem({ teamId: team.id, kind: 'alert', dedupeKey: 'test:1', payload: { type: 'test', requestedBy: 'Dana' } })])
    await deliverDue(services, settings)
    const deliveries = await outboxRows({ kind: 'alert_delivery' })
    expect(deliveries.map(row => [row.payload.target, row.status, row.attempts, row.lastError]).sort()).toEqual([
      ['slack', 'delivered', 1, null],
      ['webhook', 'failed', 1, 'The alert webhook answered 400 Bad Request'],
    ])
    expect(receiver.requests).toHaveLength(1)

    await t.db.delete(discubotTeamAlerts).where(eq(discubotTeamAlerts.teamId, team.id))
    await commitOutboxWrites([armOutboxItem({ teamId: team.id, kind: 'alert', dedupeKey: 'test:2', payload: { type: 'test' } })])
    expect(await deliverDue(services, settings)).toEqual([expect.objectContaining({ status: 'skipped', error: 'No alert channel or webhook is set for this team' })])
  })

  it('another team\'s webhook may not reach this machine: refused at call time too, for good', async () => {
    const { team } = await alertedTeam('C0TENANT', 'tenant')
    const settings = testSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 2000 })
    await commitOutboxWrites([armOutboxItem({ teamId: team.id, kind: 'alert', dedupeKey: 'test:tenant', payload: { type: 'test' } })])
    await deliverDue(fakeWorld().services, settings)
    const webhook = (await outboxRows({ kind: 'alert_delivery' })).find(row => row.payload.target === 'webhook')
    expect(webhook).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('The alert webhook was not called: 127.0.0.1') })
    expect(receiver.requests).toHaveLength(0)
  })

  it('a queue that stopped moving alerts once per stuck job, however often it is noticed', async () => {
    const { team } = await seedTeamWithSlackConfig(t.db)
    testSettings()
    const dueSince = new Date(Date.now() - 11 * 60_000)
    const stuck = await seedJob(t.db, team.id, 'stuck-1', { status: 'pending', runAt: dueSince })
    await seedJob(t.db, team.id, 'stuck-2', { status: 'pending', runAt: new Date(Date.now() - 60_000) })
    await seedJob(t.db, team.id, 'later', { status: 'pending', runAt: new Date(Date.now() + 60_000) })
    expect(await reportStuckQueues()).toBe(1)
    expect(await reportStuckQueues()).toBe(1)
    const alert = await oneRow('alert')
    expect(alert).toMatchObject({ dedupeKey: `queue-stuck:${team.id}:${stuck.id}`, payload: { type: 'queue_stuck', waiting: 1, waitingSince: dueSince.toISOString(), jobId: stuck.id } })
  })

  it('the webhook secret is sealed at rest, bound to its team, and re-sealed under a new key', async () => {
    const { team } = await alertedTeam()
    const [row] = await t.db.select().from(discubotTeamAlerts).where(eq(discubotTeamAlerts.teamId, team.id))
    expect(row!.webhookSecretCiphertext).toMatch(/^v2:/)
    expect(row!.webhookSecretCiphertext).not.toContain('whsec_test')
    expect(readAlertWebhookSecret(row!)).toBe('whsec_test')
    expect(readAlertWebhookSecret({ ...row!, teamId: 'another-team' })).toBeUndefined()

    const oldKey = process.env.NUXT_SECRETS_KEY!
    configureSecretsKeyring(createKeyring(['a-brand-new-secrets-key-0123456789-abcdef', oldKey]))
    expect(await resealTeamAlertSecrets()).toEqual({ resealed: 1, unreadable: [] })
    configureSecretsKeyring(createKeyring(['a-brand-new-secrets-key-0123456789-abcdef']))
    expect(readAlertWebhookSecret((await getTeamAlertSettings(team.id))!)).toBe('whsec_test')
  })

  it('the cleanup removes settled outbox rows past the retention and keeps pending ones', async () => {
    const { team } = await seedTeamWithSlackConfig(t.db)
    testSettings()
    const old = new Date(Date.now() - 40 * 24 * 60 * 60_000)
    await commitOutboxWrites([
      armOutboxItem({ teamId: team.id, kind: 'alert', dedupeKey: 'old-settled', payload: { type: 'test' }, skipped: 'nothing' }, old),
      armOutboxItem({ teamId: team.id, kind: 'alert', dedupeKey: 'old-pending', payload: { type: 'test' } }, old),
      armOutboxItem({ teamId: team.id, kind: 'alert', dedupeKey: 'new-settled', payload: { type: 'test' }, skipped: 'nothing' }),
    ])
    expect(await runCleanup({ retentionDays: 30 })).toMatchObject({ outboxDeleted: 1 })
    expect((await outboxRows()).map(row => row.dedupeKey).sort()).toEqual(['new-settled', 'old-pending'])
  })
})
