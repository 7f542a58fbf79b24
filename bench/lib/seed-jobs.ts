// Seeds a realistic job history fast: INSERT … SELECT over a generated sequence, tens of thousands
// of rows per statement, one transaction per chunk. Row i is a pure function of i, so sizes grow
// incrementally (seed 10k, measure, seed up to 100k, measure) and every size spans the same 90 days.
import type { Client } from '@libsql/client'
import { createDiscubotTeam } from '#layers/discubot/collections/teams/server/database/queries'
import type { Db } from '#layers/discubot/server/utils/db'
import { withDbRetry } from '#layers/discubot/server/utils/db-retry'

const DAY_MS = 24 * 60 * 60_000
const CHUNK = 20_000

export interface SeedTeams {
  /** Share of the rows: 60 %, 30 %, 10 %. The benchmarks query the first (largest). */
  ids: [string, string, string]
}

export async function createSeedTeams(db: Db, prefix = 'bench'): Promise<SeedTeams> {
  const ids = [] as unknown as [string, string, string]
  for (const n of [0, 1, 2]) ids.push((await createDiscubotTeam({ name: `${prefix} team ${n}`, slug: `${prefix}-team-${n}` })).id)
  return { ids }
}

export interface SeedOptions {
  teams: SeedTeams
  /** Rows [from, to) are written. */
  from: number
  to: number
  now: Date
  /** Told apart in ids, so two seeds into one database never collide. */
  run?: number
}

/**
 * Per row: a mix of 88 % completed, 8 % failed, 3.5 % pending (some delayed by a retry), 0.5 %
 * processing with an expired lease; 70 % Slack / 30 % Figma; a discussion, a webhook event, stage
 * rows up to the job's stage and two tasks per completed job — what the pipeline leaves behind.
 */
export async function seedJobs(client: Client, options: SeedOptions): Promise<void> {
  for (let start = options.from; start < options.to; start += CHUNK) {
    const args = {
      start,
      end: Math.min(options.to, start + CHUNK) - 1,
      now: options.now.getTime(),
      span: 90 * DAY_MS,
      run: options.run ?? 1,
      team0: options.teams.ids[0],
      team1: options.teams.ids[1],
      team2: options.teams.ids[2],
    }
    // A server that just stopped on this file may still be letting go of it.
    await withDbRetry(() => client.batch([
      'PRAGMA defer_foreign_keys = ON',
      { sql: `${BASE} ${INSERT_DISCUSSIONS}`, args },
      { sql: `${BASE} ${INSERT_JOBS}`, args },
      { sql: `${BASE} ${INSERT_EVENTS}`, args },
      { sql: `${BASE} ${INSERT_STAGES}`, args },
      { sql: `${BASE} ${INSERT_TASKS}`, args },
    ], 'write'), { attempts: 5, baseMs: 200 })
  }
}

const uuid = (kind: string, i: string) => `printf('%08x-0000-4000-8%03x-%012x', :run, ${kind}, ${i})`

// One CTE computes every column that depends on i; each INSERT reads it.
const BASE = `
WITH RECURSIVE seq(i) AS (SELECT :start UNION ALL SELECT i + 1 FROM seq WHERE i < :end),
stage_names(idx, name) AS (VALUES (0, 'ingestion'), (1, 'config_loading'), (2, 'thread_building'), (3, 'ai_analysis'), (4, 'task_creation'), (5, 'notification')),
h AS (SELECT i, (i * 2654435761) % 4294967296 AS h FROM seq),
r AS (
  SELECT i, h,
    CASE WHEN h % 1000 < 880 THEN 'completed' WHEN h % 1000 < 960 THEN 'failed' WHEN h % 1000 < 995 THEN 'pending' ELSE 'processing' END AS status,
    CASE WHEN (h / 1024) % 10 < 6 THEN :team0 WHEN (h / 1024) % 10 < 9 THEN :team1 ELSE :team2 END AS team_id,
    CASE WHEN (h / 16) % 10 < 7 THEN 'slack' ELSE 'figma' END AS source_type
  FROM h
),
j AS (
  SELECT i, h, status, team_id, source_type,
    CASE status WHEN 'completed' THEN 5 WHEN 'pending' THEN (CASE WHEN h % 1000 < 975 THEN 0 ELSE (h / 128) % 6 END) ELSE (h / 128) % 6 END AS stage_idx,
    CASE WHEN status IN ('pending', 'processing')
      THEN :now - (h % 3600000)
      ELSE :now - :span + CAST((i * 0.6180339887498949 - CAST(i * 0.6180339887498949 AS INTEGER)) * :span AS INTEGER)
    END AS created_at,
    ${uuid('1', 'i')} AS job_id,
    ${uuid('2', 'i')} AS discussion_id,
    ${uuid('3', 'i')} AS event_id,
    'C' || (h % 40) || ':' || (1700000000 + i) || '.000100' AS thread_id
  FROM r
),
x AS (
  SELECT j.*, s.name AS stage,
    CASE WHEN status IN ('completed', 'failed') THEN created_at + 5000 + h % 60000 END AS completed_at,
    CASE WHEN status = 'pending' AND h % 1000 >= 960 AND h % 1000 < 980 THEN :now + h % 600000 ELSE created_at END AS run_at,
    stage_idx >= 2 OR status = 'completed' AS has_discussion
  FROM j JOIN stage_names s ON s.idx = j.stage_idx
)`

const INSERT_DISCUSSIONS = `
INSERT INTO discubot_discussions (id, team_id, source_type, source_thread_id, source_url, title, content, author_handle, status,
  sync_job_id, thread_ref, thread_data, ai_summary, ai_action_items, error, completed_at, created_by, updated_by, created_at, updated_at)
SELECT discussion_id, team_id, source_type, team_id || ':' || thread_id, 'https://slack.com/app_redirect?channel=C1&message_ts=' || thread_id,
  'Checkout flow thread ' || i, 'Hey <@U0BOT> can we turn this thread about the checkout flow into tasks? #' || i, 'U' || (h % 500),
  CASE status WHEN 'pending' THEN 'processing' ELSE status END, job_id,
  json_object('kind', 'slack', 'workspaceId', 'T1', 'channel', 'C1', 'threadTs', thread_id, 'messageTs', thread_id),
  CASE WHEN stage_idx >= 3 OR status = 'completed' THEN json_object('fetchedAt', '2026-01-01T00:00:00.000Z', 'pages', 1, 'messages', json_array(
    json_object('id', '1.0', 'author', 'lee', 'text', 'Can you fix the checkout CTA on mobile?', 'timestamp', '2026-01-01T00:00:00.000Z'),
    json_object('id', '1.1', 'author', 'dana', 'text', 'Yes, and we should update the docs too.', 'timestamp', '2026-01-01T00:01:00.000Z'))) END,
  CASE WHEN status = 'completed' THEN 'The team agreed to fix the checkout CTA and update the docs.' END,
  CASE WHEN status = 'completed' THEN json_array('Fix the checkout CTA', 'Update the docs') END,
  CASE WHEN status = 'failed' THEN stage || ' failed: Notion answered 400 (validation_error)' END,
  completed_at, 'system', 'system', created_at, coalesce(completed_at, created_at)
FROM x WHERE has_discussion`

const INSERT_JOBS = `
INSERT INTO discubot_jobs (id, team_id, source_type, status, stage, discussion_id, thread_key, payload, run_at, locked_by, locked_until,
  lease_token, error, error_stack, metadata, started_at, completed_at, created_by, updated_by, created_at, updated_at)
SELECT job_id, team_id, source_type, status, stage, CASE WHEN has_discussion THEN discussion_id END,
  team_id || ':' || source_type || ':' || thread_id,
  json_object('sourceType', source_type, 'sourceThreadId', team_id || ':' || thread_id, 'sourceUrl', 'https://slack.com/app_redirect?channel=C1&message_ts=' || thread_id,
    'title', 'Checkout flow thread ' || i, 'content', 'Hey <@U0BOT> can we turn this thread about the checkout flow into tasks? #' || i,
    'authorHandle', 'U' || (h % 500), 'thread', json_object('kind', 'slack', 'workspaceId', 'T1', 'channel', 'C1', 'threadTs', thread_id, 'messageTs', thread_id)),
  run_at,
  CASE WHEN status = 'processing' THEN 'bench-dead-host:3000/deadboot/0' END,
  CASE WHEN status = 'processing' THEN :now - 60000 END,
  CASE WHEN status = 'processing' THEN 'lease-' || i END,
  CASE WHEN status = 'failed' THEN stage || ' failed: Notion answered 400 (validation_error)' END,
  CASE WHEN status = 'failed' THEN 'PermanentError: Notion answered 400 (validation_error)' || char(10) || '    at NotionSink.create (layers/discubot/server/sinks/notion/sink.ts:88:13)' || char(10) || '    at taskCreationStage.run (layers/discubot/server/pipeline/stages/task-creation.ts:61:41)' END,
  CASE WHEN status = 'completed' THEN json_object('webhookEventId', event_id, 'processingTime', completed_at - created_at, 'taskIds', json_array(${uuid('64', 'i')}, ${uuid('65', 'i')}))
    ELSE json_object('webhookEventId', event_id) END,
  CASE WHEN status <> 'pending' OR stage_idx > 0 THEN created_at + 50 END,
  completed_at, 'system', 'system', created_at, coalesce(completed_at, created_at)
FROM x`

const INSERT_EVENTS = `
INSERT INTO discubot_webhook_events (id, team_id, source, event_id, status, job_id, redeliveries, received_at, created_by, updated_by, created_at, updated_at)
SELECT event_id, team_id, source_type, 'bench:' || :run || ':' || i, 'accepted', job_id, 0, created_at, 'system', 'system', created_at, created_at
FROM x`

const INSERT_STAGES = `
INSERT INTO discubot_job_stages (id, job_id, team_id, stage, status, attempts, output, error, attempt_log, lease_token, worker_id,
  started_at, completed_at, duration_ms, created_by, updated_by, created_at, updated_at)
SELECT ${uuid('16 + s.idx', 'x.i')}, job_id, team_id, s.name,
  CASE WHEN s.idx < stage_idx OR status = 'completed' THEN 'completed' WHEN status = 'failed' THEN 'failed' WHEN status = 'processing' THEN 'running' ELSE 'retrying' END,
  1,
  CASE WHEN s.idx < stage_idx OR status = 'completed' THEN json_object('messages', 2, 'reused', json('false')) END,
  CASE WHEN s.idx = stage_idx AND status IN ('failed', 'pending') THEN 'Notion answered 400 (validation_error)' END,
  json_array(json_object('attempt', 1, 'startedAt', '2026-01-01T00:00:00.000Z', 'endedAt', '2026-01-01T00:00:01.000Z', 'workerId', 'bench-host:3000/boot/0')),
  'lease-' || x.i, 'bench-host:3000/boot/0',
  created_at + 100 * s.idx, created_at + 100 * s.idx + 80, 80, 'system', 'system', created_at, created_at
FROM x JOIN stage_names s ON s.idx <= x.stage_idx
WHERE status <> 'pending' OR stage_idx > 0`

const INSERT_TASKS = `
INSERT INTO discubot_tasks (id, team_id, discussion_id, job_id, idempotency_key, notion_page_id, notion_page_url, title, description,
  status, priority, summary, source_url, is_multi_task_child, task_index, created_by, updated_by, created_at, updated_at)
SELECT ${uuid('64 + k.n', 'x.i')}, team_id, discussion_id, job_id, discussion_id || ':' || k.n, 'page-' || x.i || '-' || k.n,
  'https://notion.so/page-' || x.i || '-' || k.n, CASE k.n WHEN 0 THEN 'Fix the checkout CTA' ELSE 'Update the docs' END, 'From the thread',
  'created', 'medium', 'The team agreed to fix the checkout CTA and update the docs.', 'https://slack.com/app_redirect?channel=C1', 1, k.n,
  'system', 'system', completed_at, completed_at
FROM x JOIN (SELECT 0 AS n UNION ALL SELECT 1) k
WHERE status = 'completed'`
