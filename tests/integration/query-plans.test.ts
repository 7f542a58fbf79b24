// The queries the admin, the health check and the workers run are served by indexes. The SQL is
// captured at the libSQL client while the real query function runs (so this checks exactly what
// the code sends, filters and all), then replayed under EXPLAIN QUERY PLAN with the same arguments.
// No ANALYZE: like production, the planner works from the schema alone.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { InStatement, InValue } from '@libsql/client'
import { createTempDb, type TempDb } from '../support/temp-db'
import { seedTeam } from '../support/seed-rows'
import { useDbClient } from '#layers/discubot/server/utils/db'
import {
  countDiscubotJobsByStatus,
  getDiscubotJobsByDiscussion,
  getDiscubotJobsByIds,
  getDiscubotJobStages,
  getDiscubotQueueStats,
  listDiscubotJobs,
} from '#layers/discubot/collections/jobs/server/database/queries'
import { claimDueJob, releaseLeasesOfDeadSelf, renewJobLease } from '#layers/discubot/collections/jobs/server/database/lifecycle'
import {
  countDiscubotDiscussionsByStatus,
  getDiscubotDiscussionByThread,
  getDiscubotDiscussionsByIds,
  listDiscubotDiscussions,
} from '#layers/discubot/collections/discussions/server/database/queries'
import { getDiscubotTasksByDiscussion, getDiscubotTasksByIds, listDiscubotTasks } from '#layers/discubot/collections/tasks/server/database/queries'
import { getEnvDiscubotConfig, listActiveDiscubotConfigsBySource, listDiscubotConfigs } from '#layers/discubot/collections/configs/server/database/queries'
import { getDiscubotJobsPerDay, getDiscubotStageDurations } from '#layers/discubot/collections/jobs/server/database/stats'
import { discussionListQuerySchema, jobListQuerySchema, taskListQuerySchema } from '#layers/discubot/shared/list-query'

let temp: TempDb
let teamId: string
beforeAll(async () => {
  temp = await createTempDb()
  teamId = (await seedTeam(temp.db, 'a')).id
})
afterAll(() => temp.cleanup())

interface Planned {
  sql: string
  plan: string[]
}

/** Runs `work`, records every statement it sends, and returns each with its query plan. */
async function plansOf(work: () => Promise<unknown>): Promise<Planned[]> {
  const client = useDbClient()
  const execute = client.execute.bind(client)
  const sent: { sql: string, args: InValue[] }[] = []
  const spy = vi.spyOn(client, 'execute').mockImplementation(((statement: InStatement) => {
    if (typeof statement === 'string') sent.push({ sql: statement, args: [] })
    else sent.push({ sql: statement.sql, args: (statement.args ?? []) as InValue[] })
    return execute(statement)
  }) as typeof client.execute)
  try {
    await work()
  }
  finally {
    spy.mockRestore()
  }
  expect(sent.length, 'the query function sent no SQL').toBeGreaterThan(0)
  return Promise.all(sent.map(async ({ sql, args }) => {
    const result = await execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })
    return { sql, plan: result.rows.map(row => String(row.detail)) }
  }))
}

/** A plan line that reads a whole table without an index: `SCAN discubot_jobs` (nothing after). */
const fullScan = (line: string) => /^SCAN \w+$/.test(line)

function expectIndexed(planned: Planned[], index?: string) {
  for (const { sql, plan } of planned) {
    expect(plan.filter(fullScan), `full table scan in:\n${sql}\n${plan.join('\n')}`).toEqual([])
    expect(plan.some(line => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(line)), `no index in:\n${sql}\n${plan.join('\n')}`).toBe(true)
  }
  if (index) {
    const all = planned.flatMap(p => p.plan)
    expect(all.some(line => line.includes(`INDEX ${index} `)), `${index} unused:\n${all.join('\n')}`).toBe(true)
  }
}

/** The page query (the one with ORDER BY … LIMIT) of a list call, apart from its count. */
const pageQuery = (planned: Planned[]) => planned.filter(p => /\blimit\b/i.test(p.sql))

describe('admin job list', () => {
  it.each([
    ['no filter', {}, 'discubot_jobs_team_created_idx'],
    ['status', { status: 'failed' }, 'discubot_jobs_team_status_created_idx'],
    ['stage', { stage: 'ai_analysis' }, 'discubot_jobs_team_stage_created_idx'],
    ['date range', { from: '2026-01-01', to: '2026-02-01' }, 'discubot_jobs_team_created_idx'],
    ['discussion', { discussionId: 'd1' }, 'discubot_jobs_discussion_idx'],
    ['text search', { q: '50%_off' }, 'discubot_jobs_team_created_idx'],
    ['source type', { sourceType: 'figma' }, 'discubot_jobs_team_created_idx'],
    ['status, ascending, page 3', { status: 'pending', order: 'asc', page: 3, pageSize: 10 }, 'discubot_jobs_team_status_created_idx'],
  ])('%s: the page uses its index and the count does not scan', async (_label, input, index) => {
    const planned = await plansOf(() => listDiscubotJobs(teamId, jobListQuerySchema.parse(input)))
    expect(planned).toHaveLength(2)
    expectIndexed(planned)
    expectIndexed(pageQuery(planned), index)
  })

  it('sorting by completion time still narrows to the team by index', async () => {
    expectIndexed(await plansOf(() => listDiscubotJobs(teamId, jobListQuerySchema.parse({ sort: 'completedAt' }))))
  })

  it('counts by status from the covering team/status index', async () => {
    expectIndexed(await plansOf(() => countDiscubotJobsByStatus(teamId)), 'discubot_jobs_team_status_created_idx')
  })

  it('job detail reads: by ids, by discussion, stage rows', async () => {
    expectIndexed(await plansOf(() => getDiscubotJobsByIds(teamId, ['j1', 'j2'])), 'sqlite_autoindex_discubot_jobs_1')
    expectIndexed(await plansOf(() => getDiscubotJobsByDiscussion(teamId, 'd1')), 'discubot_jobs_discussion_idx')
    expectIndexed(await plansOf(() => getDiscubotJobStages(teamId, 'j1')), 'discubot_job_stages_job_stage_unique')
  })
})

describe('lookups by many ids', () => {
  // Without statistics the planner guesses a team_id equality matches ~10 rows, so past a few ids
  // it preferred scanning the team's rows to probing the primary key once per id.
  const ids = Array.from({ length: 20 }, (_, i) => `id-${i}`)
  it.each([
    ['jobs', () => getDiscubotJobsByIds(teamId, ids), 'sqlite_autoindex_discubot_jobs_1'],
    ['discussions', () => getDiscubotDiscussionsByIds(teamId, ids), 'sqlite_autoindex_discubot_discussions_1'],
    ['tasks', () => getDiscubotTasksByIds(teamId, ids), 'sqlite_autoindex_discubot_tasks_1'],
  ] as const)('%s probe the primary key', async (_label, lookup, index) => {
    expectIndexed(await plansOf(lookup), index)
  })
})

describe('queue', () => {
  it('the claim finds a due job by the claim index, an expired lease by the lease index, and never scans', async () => {
    const planned = await plansOf(() => claimDueJob({ workerId: 'w1', leaseMs: 1000 }))
    expectIndexed(planned)
    // Both ways to claim: a due pending job (status, run_at) and an expired lease (status, locked_until).
    expectIndexed(planned.filter(p => p.sql.includes('"run_at" <=')), 'discubot_jobs_claim_idx')
    expectIndexed(planned.filter(p => p.sql.includes('"locked_until" <')), 'discubot_jobs_lease_idx')
    // The "thread busy" subquery runs per candidate row: it must be an index lookup too.
    const lines = planned.flatMap(p => p.plan)
    expect(lines.some(line => /^SEARCH other_job USING (COVERING )?INDEX/.test(line)), lines.join('\n')).toBe(true)
  })

  it('lease renewal and dead-self release go by id and status', async () => {
    expectIndexed(await plansOf(() => renewJobLease('j1', 'lease', 1000)), 'sqlite_autoindex_discubot_jobs_1')
    expectIndexed(await plansOf(() => releaseLeasesOfDeadSelf('host:3000', 'host:3000/boot2/')))
  })

  it('health and overview queue stats, global and per team', async () => {
    expectIndexed(await plansOf(() => getDiscubotQueueStats()))
    expectIndexed(await plansOf(() => getDiscubotQueueStats(teamId)), 'discubot_jobs_team_status_created_idx')
  })
})

describe('admin discussion and task lists', () => {
  it.each([
    ['no filter', {}, 'discubot_discussions_team_created_idx'],
    ['status', { status: 'failed' }, 'discubot_discussions_team_status_created_idx'],
    ['text search', { q: 'checkout' }, 'discubot_discussions_team_created_idx'],
    ['date range', { from: '2026-01-01' }, 'discubot_discussions_team_created_idx'],
  ])('discussions, %s', async (_label, input, index) => {
    const planned = await plansOf(() => listDiscubotDiscussions(teamId, discussionListQuerySchema.parse(input)))
    expect(planned).toHaveLength(2)
    expectIndexed(planned)
    expectIndexed(pageQuery(planned), index)
  })

  it('discussion reads: by ids, by thread, counts by status', async () => {
    expectIndexed(await plansOf(() => getDiscubotDiscussionsByIds(teamId, ['d1'])), 'sqlite_autoindex_discubot_discussions_1')
    expectIndexed(await plansOf(() => getDiscubotDiscussionByThread(teamId, 'slack', 'T1:C1:1.0')), 'discubot_discussions_thread_unique')
    expectIndexed(await plansOf(() => countDiscubotDiscussionsByStatus(teamId)), 'discubot_discussions_team_status_created_idx')
  })

  it.each([
    ['no filter', {}],
    ['status', { status: 'created' }],
    ['discussion', { discussionId: 'd1' }],
    ['text search', { q: 'dana' }],
  ])('tasks, %s', async (_label, input) => {
    const planned = await plansOf(() => listDiscubotTasks(teamId, taskListQuerySchema.parse(input)))
    expect(planned).toHaveLength(2)
    expectIndexed(planned)
    expectIndexed(pageQuery(planned), 'discubot_tasks_team_created_idx')
  })

  it('the tasks of a discussion come from the discussion index', async () => {
    expectIndexed(await plansOf(() => getDiscubotTasksByDiscussion(teamId, 'd1')), 'discubot_tasks_discussion_idx')
  })
})

describe('configs', () => {
  it('the webhook lookup of active configs by source uses an index', async () => {
    expectIndexed(await plansOf(() => listActiveDiscubotConfigsBySource('slack')), 'discubot_configs_source_active_idx')
  })

  it('the env config and the team list use their indexes', async () => {
    expectIndexed(await plansOf(() => getEnvDiscubotConfig('slack')), 'discubot_configs_env_unique')
    expectIndexed(await plansOf(() => listDiscubotConfigs(teamId)), 'discubot_configs_team_source_idx')
  })
})

describe('admin overview', () => {
  it('per-stage timings and jobs per day narrow to the team by index', async () => {
    expectIndexed(await plansOf(() => getDiscubotStageDurations(teamId, new Date(0))), 'discubot_job_stages_status_team_completed_idx')
    expectIndexed(await plansOf(() => getDiscubotJobsPerDay(teamId, 14, new Date(Date.UTC(2026, 0, 15)))), 'discubot_jobs_team_created_idx')
  })
})

describe('foreign keys of the rows cleanup deletes', () => {
  // Deleting a job (retention cleanup) or a discussion makes SQLite find every referencing row;
  // without an index on the referencing column, each delete scans that whole table.
  it('every column that references jobs or discussions leads an index', async () => {
    const client = useDbClient()
    const tables = (await client.execute(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'discubot_%'`)).rows.map(r => String(r.name))
    const unindexed: string[] = []
    let checked = 0
    for (const table of tables) {
      const keys = (await client.execute(`PRAGMA foreign_key_list(${table})`)).rows
      const leading = new Set<string>()
      for (const index of (await client.execute(`PRAGMA index_list(${table})`)).rows) {
        const [first] = (await client.execute(`PRAGMA index_info(${String(index.name)})`)).rows
        if (first) leading.add(String(first.name))
      }
      for (const key of keys) {
        if (!['discubot_jobs', 'discubot_discussions'].includes(String(key.table))) continue
        checked++
        if (!leading.has(String(key.from))) unindexed.push(`${table}.${String(key.from)} → ${String(key.table)}`)
      }
    }
    expect(checked).toBeGreaterThanOrEqual(7)
    expect(unindexed).toEqual([])
  })
})
