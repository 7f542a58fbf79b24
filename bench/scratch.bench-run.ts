import { it } from 'vitest'
import { useDb, useDbClient } from '#layers/discubot/server/utils/db'
import { WorkerPool } from '#layers/discubot/server/pipeline/worker-pool'
import { createTempDb } from '../tests/support/temp-db'
import { fakeWorld, queueSlackJob, seedTeamWithSlackConfig, testSettings } from '../tests/support/engine-fixtures'
import { createClient, type InStatement } from '@libsql/client'
import { sleep } from './lib/stats'

it('per statement', async () => {
  const t = await createTempDb()
  const observer = createClient({ url: t.url })
  const { team, config } = await seedTeamWithSlackConfig(t.db, 'p')
  const world = fakeWorld()
  for (let i = 0; i < 300; i++) await queueSlackJob(team.id, config.id, `${1_800_000_000 + i}.000100`)
  const client = useDbClient()
  const times = new Map<string, { n: number, ms: number }>()
  const note = (sql: string, ms: number) => { const k = sql.slice(0, 160); const e = times.get(k) ?? { n: 0, ms: 0 }; e.n++; e.ms += ms; times.set(k, e) }
  const ex = client.execute.bind(client)
  client.execute = (async (s: InStatement) => { const t0 = performance.now(); try { return await ex(s) } finally { note(typeof s === 'string' ? s : (s as { sql: string }).sql, performance.now() - t0) } }) as typeof client.execute
  const b = client.batch.bind(client)
  client.batch = (async (s: InStatement[], m?: 'write') => { const t0 = performance.now(); try { return await b(s, m) } finally { note('BATCH ' + s.map(x => (x as { sql: string }).sql.slice(0, 40)).join(' | '), performance.now() - t0) } }) as typeof client.batch
  const started = performance.now()
  const pool = new WorkerPool({ db: useDb(), settings: testSettings({ workerConcurrency: 1, instanceId: 'p' }), services: world.services })
  await pool.start()
  for (;;) {
    const r = await observer.execute("select count(*) n from discubot_jobs where status in ('pending','processing')")
    if (Number(r.rows[0]!.n) === 0) break
    await sleep(10)
  }
  console.log('elapsed', performance.now() - started)
  await pool.stop()
  console.log([...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25).map(([k, v]) => `${v.ms.toFixed(0)}ms n=${v.n} ${k}`).join('\n'))
  observer.close()
  t.cleanup()
})
