// Several Discubot processes on one database file (WAL): migrations once at a concurrent boot,
// timers once across the fleet, no job worked by two instances at once, a killed instance's jobs
// resumed by another within the lease bound, and a paused instance fenced off by its lease token.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { eq, sql } from 'drizzle-orm'
import { join } from 'node:path'
import { freePort, startServer, waitFor, type ServerHandle } from '../support/server'
import { tempDir } from '../support/temp-db'
import { closeDb, openServerDb } from '../support/db-file'
import { startSlackStandin, type SlackStandin } from '../standins/slack'
import { slowAnswer } from '../standins/http-standin'
import { postSlackEvent, slackAppMention } from '../standins/signing'
import { discubotJobs, discubotJobStages, type DiscubotJobStage } from '#layers/discubot/collections/jobs/server/database/schema'
import { discubotTasks } from '#layers/discubot/collections/tasks/server/database/schema'
import { discubotDiscussions } from '#layers/discubot/collections/discussions/server/database/schema'
import { discubotTimers } from '#layers/discubot/collections/timers/server/database/schema'
import { discubotTeams } from '#layers/discubot/collections/teams/server/database/schema'

const SECRET = 'fleet-signing-secret'
const CHANNEL = 'C0FLEET'
const LEASE_MS = 3000
let slack: SlackStandin
let servers: ServerHandle[] = []

beforeAll(async () => {
  slack = await startSlackStandin({ pageSize: 100 })
  slack.state.addChannel(CHANNEL)
})

afterEach(async () => {
  closeDb()
  await Promise.all(servers.map(server => server.kill()))
  servers = []
})

afterAll(() => slack.stop())

function fleetEnv(extra: Record<string, string | undefined> = {}) {
  return {
    NUXT_SLACK_SIGNING_SECRET: SECRET,
    NUXT_SLACK_BOT_TOKEN: slack.state.token,
    NUXT_SLACK_API_URL: `${slack.url}/api/`,
    NUXT_LEASE_MS: String(LEASE_MS),
    ...extra,
  }
}

/** Instances named after their port (pinned NUXT_INSTANCE_ID), so a lease says which one holds it. */
async function startInstance(dbPath: string, extra: Record<string, string | undefined> = {}, port?: number) {
  const chosen = port ?? await freePort()
  return startServer({ dbPath, port: chosen, env: fleetEnv({ NUXT_INSTANCE_ID: `127.0.0.1:${chosen}`, ...extra }) })
}

async function startFleet(count: number, dbPath: string, extra: Record<string, string | undefined> = {}) {
  const started = await Promise.all(Array.from({ length: count }, () => startInstance(dbPath, extra)))
  servers.push(...started)
  return started
}

/**
 * SIGSTOPs the instance at a moment it holds no write lock. A process frozen inside a write
 * transaction blocks every writer of an SQLite file until it runs again — SQLite's own rule, which
 * no lease can lift — so freezing it there would test that, not the lease fence. Each try freezes
 * it, probes the lock, and lets it run on for a moment if it held it.
 */
async function pauseOutsideWrites(server: ServerHandle, dbPath: string) {
  const probe = createClient({ url: `file:${dbPath}` })
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      process.kill(server.child.pid!, 'SIGSTOP')
      try {
        const write = await probe.transaction('write')
        await write.rollback()
        return
      }
      catch {
        process.kill(server.child.pid!, 'SIGCONT')
        await new Promise(resolve => setTimeout(resolve, 5 + attempt))
      }
    }
    throw new Error('the instance held the write lock at every try')
  }
  finally {
    probe.close()
  }
}

async function mention(server: ServerHandle, text = 'please turn this into tasks') {
  const { rootTs } = slack.state.seedThread(CHANNEL, { messages: 5, text: i => ['Can you fix the login bug?', 'We need to update the changelog.', 'Sounds good'][i % 3]! })
  const body = slackAppMention({ teamId: slack.state.teamId, channel: CHANNEL, threadTs: rootTs, botUserId: slack.state.botUserId, text: `<@${slack.state.botUserId}> ${text}` })
  const response = await postSlackEvent(server.url, body, SECRET)
  expect(response.status).toBe(200)
  return rootTs
}

/** No two workers ran a job's stages at overlapping times (attempt logs, across all stages). */
function overlappingWorkers(stages: DiscubotJobStage[]) {
  const byJob = Map.groupBy(stages, stage => stage.jobId)
  const overlaps: string[] = []
  for (const [jobId, rows] of byJob) {
    const attempts = rows.flatMap(row => row.attemptLog.map(a => ({ worker: a.workerId, start: Date.parse(a.startedAt), end: a.endedAt ? Date.parse(a.endedAt) : Number.POSITIVE_INFINITY })))
      .sort((a, b) => a.start - b.start)
    for (let i = 1; i < attempts.length; i++) {
      const [prev, next] = [attempts[i - 1]!, attempts[i]!]
      // An attempt left open by a killed worker ends when its lease did; count only real overlaps.
      const prevEnd = Number.isFinite(prev.end) ? prev.end : prev.start + LEASE_MS
      if (prev.worker !== next.worker && next.start < prevEnd && Number.isFinite(prev.end)) overlaps.push(jobId)
    }
  }
  return overlaps
}

describe('several instances on one database', () => {
  it('three instances booting together on a fresh database apply migrations once and all serve', async () => {
    const dbPath = join(tempDir(), 'fleet.db')
    const fleet = await startFleet(3, dbPath)
    for (const server of fleet) expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    const db = openServerDb(dbPath)
    const applied = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM __drizzle_migrations`)
    const journal = (await import('../../drizzle/meta/_journal.json')).default as { entries: unknown[] }
    expect(applied[0]!.n).toBe(journal.entries.length)
    expect(await db.$count(discubotTeams)).toBe(1)
    expect(await db.$count(discubotTimers)).toBe(1)
  })

  it('the cleanup timer fires once per period across three instances', async () => {
    const dbPath = join(tempDir(), 'timers.db')
    const fleet = await startFleet(3, dbPath, { NUXT_CLEANUP_AT: 'off', NUXT_CLEANUP_INTERVAL_MS: '1500' })
    const db = openServerDb(dbPath)
    const [first] = await db.select().from(discubotTimers)
    await waitFor(async () => {
      const [timer] = await db.select().from(discubotTimers)
      return timer!.runCount >= 3
    }, { timeoutMs: 30_000, message: 'three cleanup runs' })
    const [timer] = await db.select().from(discubotTimers)
    const runsLogged = fleet.map(server => (server.logs().match(/timer cleanup ran/g) ?? []).length).reduce((a, b) => a + b, 0)
    // Every run was fired by exactly one instance, and runs are at least one period apart.
    expect(runsLogged).toBe(timer!.runCount)
    const elapsed = timer!.lastRunAt!.getTime() - first!.createdAt.getTime()
    expect(timer!.runCount).toBeLessThanOrEqual(Math.floor(elapsed / 1500) + 1)
  })

  it('jobs spread over three instances complete exactly once through a kill -9 and a restart', async () => {
    const dbPath = join(tempDir(), 'spread.db')
    let fleet = await startFleet(2, dbPath)
    fleet.push(...await startFleet(1, dbPath))
    // Slow thread fetches keep jobs in flight, so the kill catches some mid-stage.
    slack.faults.push({ ...slowAnswer('conversations.replies', 700), times: 30 })
    const threads: string[] = []
    for (let i = 0; i < 30; i++) threads.push(await mention(fleet[i % fleet.length]!))

    // Kill one instance mid-run, gracefully restart another, keep sending.
    const db = openServerDb(dbPath)
    const victim = fleet[0]!
    const heldByVictim = (await db.select().from(discubotJobs).where(eq(discubotJobs.status, 'processing')))
      .filter(job => job.lockedBy?.includes(`:${victim.port}/`)).map(job => job.id)
    expect(heldByVictim.length).toBeGreaterThan(0)
    const killedAt = Date.now()
    await victim.kill('SIGKILL')
    const restarted = fleet[1]!
    await restarted.stop()
    const replacement = await startInstance(dbPath, {}, restarted.port)
    servers.push(replacement)
    fleet = [fleet[2]!, replacement]
    for (let i = 0; i < 10; i++) threads.push(await mention(fleet[i % fleet.length]!))

    const jobs = await waitFor(async () => {
      const rows = await db.select().from(discubotJobs)
      return rows.length === threads.length && rows.every(job => job.status === 'completed') ? rows : undefined
    }, { timeoutMs: 90_000, message: 'every job to complete' })

    const stages = await db.select().from(discubotJobStages)
    expect(overlappingWorkers(stages)).toEqual([])
    // The victim's jobs were resumed by another instance: report how long after the kill.
    const recoveries = heldByVictim.map((jobId) => {
      const resumed = stages.filter(row => row.jobId === jobId).flatMap(row => row.attemptLog)
        .filter(a => Date.parse(a.startedAt) > killedAt && !a.workerId?.includes(`:${victim.port}/`))
      return Math.min(...resumed.map(a => Date.parse(a.startedAt))) - killedAt
    })
    expect(recoveries.every(Number.isFinite)).toBe(true)
    console.log(`[fleet] jobs ${jobs.length}, instances 3, kills 1, jobs held by the killed instance ${heldByVictim.length}, resumed after ${recoveries.length ? Math.max(...recoveries) : 0} ms at most (lease ${LEASE_MS} ms)`)

    const repliesPerThread = new Map<string, number>()
    for (const post of slack.state.posts) repliesPerThread.set(post.thread_ts!, (repliesPerThread.get(post.thread_ts!) ?? 0) + 1)
    const duplicates = threads.filter(ts => repliesPerThread.get(ts) !== 1)
    expect(duplicates).toEqual([])
    for (const discussion of await db.select().from(discubotDiscussions)) {
      const tasks = await db.select().from(discubotTasks).where(eq(discubotTasks.discussionId, discussion.id))
      expect(tasks.length).toBe(discussion.aiTasks!.length)
    }
  })

  it('a paused instance (SIGSTOP past its lease) cannot write over the job\'s new owner', async () => {
    const dbPath = join(tempDir(), 'paused.db')
    const [first] = await startFleet(1, dbPath, { NUXT_WORKER_CONCURRENCY: '1', NUXT_HTTP_TIMEOUT_MS: '20000' })
    // The first fetch of the thread is slow: the instance will be mid-stage when we pause it.
    slack.faults.push(slowAnswer('conversations.replies', 1500))
    const rootTs = await mention(first!)
    const db = openServerDb(dbPath)
    const job = await waitFor(async () => {
      const [row] = await db.select().from(discubotJobs)
      return row?.stage === 'thread_building' && row.status === 'processing' ? row : undefined
    }, { message: 'the job to be mid thread_building' })
    await pauseOutsideWrites(first!, dbPath)
    try {
      const [second] = await startFleet(1, dbPath)
      const done = await waitFor(async () => {
        const [row] = await db.select().from(discubotJobs).where(eq(discubotJobs.id, job.id))
        return row?.status === 'completed' ? row : undefined
      }, { timeoutMs: 30_000, message: 'the second instance to finish the job' }).catch((error: Error) => {
        throw new Error(`${error.message}\n--- second instance ---\n${second!.logs()}\n--- paused instance ---\n${first!.logs()}`)
      })
      const before = await db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, job.id))
      process.kill(first!.child.pid!, 'SIGCONT')
      await first!.waitForLog(/lease lost/, 20_000)
      const after = await db.select().from(discubotJobStages).where(eq(discubotJobStages.jobId, job.id))
      const [final] = await db.select().from(discubotJobs).where(eq(discubotJobs.id, job.id))
      expect(final).toEqual(done)
      expect(after).toEqual(before)
      expect(after.find(row => row.stage === 'thread_building')!.workerId).toContain(String(second!.port))
      expect(slack.state.posts.filter(post => post.thread_ts === rootTs)).toHaveLength(1)
    }
    finally {
      process.kill(first!.child.pid!, 'SIGCONT')
    }
  })
})
