// Figure 3 (and the query half of figure 6): what the admin pages ask of the database, at growing
// table sizes. Each query is timed as the page runs it (the admin layer functions, which call the
// collection queries), and compared with the same statements with every index of their tables
// disabled (NOT INDEXED), measured in the same run: what the indexes buy, on this machine, now.
import type { Client } from '@libsql/client'
import { listJobsWithRetries } from '#layers/discubot/server/admin/job-list'
import { getJobDetail } from '#layers/discubot/server/admin/job-detail'
import { getOverview } from '#layers/discubot/server/admin/overview'
import { previewRetryMatching } from '#layers/discubot/server/admin/retry-matching'
import { countDiscubotJobsByStatusFromRollup, getDiscubotQueueStatsFromRollup } from '#layers/discubot/collections/jobs/server/database/stats'
import { jobListQuerySchema } from '#layers/discubot/shared/list-query'
import type { DbCounter, RecordedStatement } from '../lib/db-counter'
import { ms, progress } from '../lib/report'
import { sample, summarize, type Summary } from '../lib/stats'

export interface QueryCase {
  key: string
  name: string
  run(teamId: string): Promise<unknown>
}

export interface QueryResult {
  key: string
  name: string
  summary: Summary
  /** The same statements with their tables' indexes disabled. */
  scan: Summary
  /** What the read sent, for `explainQueries`. */
  statements: RecordedStatement[]
}

export function adminQueryCases(jobIds: string[], now: Date): QueryCase[] {
  let next = 0
  const page = (status: 'completed' | 'failed') => jobListQuerySchema.parse({ status, pageSize: 50, sort: 'createdAt', order: 'desc' })
  return [
    { key: 'list', name: 'Jobs list (status=completed, newest first, 50)', run: team => listJobsWithRetries(team, page('completed')) },
    { key: 'failed', name: 'Failed view (status=failed, newest first, 50)', run: team => listJobsWithRetries(team, page('failed')) },
    { key: 'preview', name: 'Retry-all-matching preview (failed jobs → discussions)', run: team => previewRetryMatching(team, {}) },
    { key: 'counts', name: 'Overview counts (jobs by status + queue, from the roll-up)', run: team => Promise.all([countDiscubotJobsByStatusFromRollup(team), getDiscubotQueueStatsFromRollup(team)]) },
    { key: 'overview', name: 'Overview page (getOverview: counts, 14 days, stage durations)', run: team => getOverview(team, now) },
    // A different job each time, as admins click through the list.
    { key: 'detail', name: 'Job detail (getDiscubotJobsByIds + getDiscubotJobStages + links)', run: team => getJobDetail(team, jobIds[next++ % jobIds.length]!) },
  ]
}

/** Ids to open in the detail view: a spread of the team's jobs. */
export async function sampleJobIds(client: Client, teamId: string, n = 200): Promise<string[]> {
  const result = await client.execute({ sql: 'SELECT id FROM discubot_jobs WHERE team_id = ? ORDER BY random() LIMIT ?', args: [teamId, n] })
  return result.rows.map(row => String(row.id))
}

const TABLE_REF = /\bfrom\s+("discubot_[a-z_]+")(?!\s+NOT INDEXED)/gi

function withoutIndexes(statement: RecordedStatement): RecordedStatement {
  return { sql: statement.sql.replace(TABLE_REF, 'from $1 NOT INDEXED'), args: statement.args }
}

async function explain(client: Client, statement: RecordedStatement): Promise<string[]> {
  const result = await client.execute({ sql: `EXPLAIN QUERY PLAN ${statement.sql}`, args: statement.args })
  return result.rows.map(row => String(row.detail))
}

export async function measureQueries(client: Client, counter: DbCounter, teamId: string, cases: QueryCase[], options: { runs: number, scanRuns: number }): Promise<QueryResult[]> {
  const results: QueryResult[] = []
  for (const query of cases) {
    const summary = await sample(() => query.run(teamId), options.runs)
    const statements = await counter.record(() => query.run(teamId))
    const scans: number[] = []
    for (let i = 0; i < options.scanRuns; i++) {
      const started = performance.now()
      for (const statement of statements) await client.execute(withoutIndexes(statement))
      scans.push(performance.now() - started)
    }
    const scan = summarize(scans)
    progress(`${query.key}: p50 ${ms(summary.p50)} p95 ${ms(summary.p95)} (without indexes p50 ${ms(scan.p50)})`)
    results.push({ key: query.key, name: query.name, summary, scan, statements })
  }
  return results
}

/**
 * EXPLAIN QUERY PLAN of every statement each read sent. Run last: libsql never finishes an
 * EXPLAIN, and until its statement is garbage-collected the connection keeps a read snapshot that
 * no checkpoint can pass (utils/local-client.ts) — a server measured after it would never checkpoint.
 */
export async function explainQueries(client: Client, results: QueryResult[]): Promise<Array<{ name: string, plan: string[] }>> {
  const plans = []
  for (const query of results) {
    const plan: string[] = []
    for (const statement of query.statements) {
      plan.push(`${statement.sql.replace(/^select .*? from/i, 'select … from').slice(0, 140)}`)
      for (const line of await explain(client, statement)) plan.push(`    ${line}`)
    }
    plans.push({ name: query.name, plan })
  }
  return plans
}
