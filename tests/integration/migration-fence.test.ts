// Upgrading a database that holds work to the migration that recreates discubot_jobs (a CHECK that
// admits `manual`): the lease-fence trigger steps aside and comes back (drizzle/0009–0011), the rows
// survive, and a stale worker's batch is still aborted afterwards.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDb, configureDb, ensureMigrated, findMigrationsFolder } from '#layers/discubot/server/utils/db'
import { isLeaseLostError, leaseFence } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import { discubotJobs } from '#layers/discubot/collections/jobs/server/database/schema'
import { getDiscubotJobsByIds } from '#layers/discubot/collections/jobs/server/database/queries'
import { discussionInput, seedTeam } from '../support/seed-rows'
import { rejectionOf } from '../support/caught'

const dirs: string[] = []
afterEach(() => {
  closeDb()
  delete process.env.NUXT_MIGRATIONS_DIR
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The migrations folder as it was before `tag` (the journal cut there). */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'discubot-migrations-'))
  dirs.push(dir)
  cpSync(findMigrationsFolder(), dir, { recursive: true })
  const journalPath = join(dir, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }
  const cut = journal.entries.findIndex(entry => entry.tag === tag)
  expect(cut).toBeGreaterThan(0)
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }))
  return dir
}

describe('the upgrade that admits manual discussions', () => {
  it('keeps the jobs and the lease fence', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'discubot-upgrade-'))
    dirs.push(dataDir)
    const url = `file:${join(dataDir, 'old.db')}`

    process.env.NUXT_MIGRATIONS_DIR = migrationsBefore('0009_fence_trigger_off')
    let db = configureDb({ url })
    await ensureMigrated()
    const team = await seedTeam(db, 'upgraded')
    // Written as the old schema's columns: today's schema has columns (0014's discussion_failed) this database has not yet.
    const leased = { id: 'job-upgraded', payload: discussionInput('slack', '1.0') }
    const now = Date.now()
    await db.run(sql`INSERT INTO discubot_jobs (id, team_id, source_type, status, stage, thread_key, payload, run_at, locked_by, locked_until, lease_token, metadata, created_by, updated_by, created_at, updated_at)
      VALUES (${leased.id}, ${team.id}, 'slack', 'processing', 'ingestion', ${`${team.id}:slack:slack:1.0`}, ${JSON.stringify(leased.payload)}, ${now}, 'w1', ${now + 60_000}, 'lease-1', '{}', 'system', 'system', ${now}, ${now})`)
    const refused = await rejectionOf(db.run(sql`UPDATE discubot_jobs SET source_type = 'manual' WHERE id = ${leased.id}`))
    expect(String((refused.cause as Error | undefined)?.message)).toMatch(/CHECK constraint failed/)
    closeDb()

    delete process.env.NUXT_MIGRATIONS_DIR
    db = configureDb({ url })
    await ensureMigrated()
    const [kept] = await getDiscubotJobsByIds(team.id, [leased.id])
    expect(kept).toMatchObject({ status: 'processing', leaseToken: 'lease-1', payload: leased.payload })
    const triggers = await db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
    expect(triggers.map(t => t.name)).toContain('discubot_lease_fence_check')

    const checkpoint = (token: string) => db.batch([
      leaseFence(leased.id, token),
      db.update(discubotJobs).set({ stage: 'ai_analysis' }).where(eq(discubotJobs.id, leased.id)),
    ])
    expect(isLeaseLostError(await checkpoint('stale').then(() => undefined, (e: unknown) => e))).toBe(true)
    expect((await getDiscubotJobsByIds(team.id, [leased.id]))[0]!.stage).toBe('ingestion')
    await checkpoint('lease-1')
    expect((await getDiscubotJobsByIds(team.id, [leased.id]))[0]!.stage).toBe('ai_analysis')
    await db.run(sql`UPDATE discubot_jobs SET source_type = 'manual' WHERE id = ${leased.id}`)
  })
})
