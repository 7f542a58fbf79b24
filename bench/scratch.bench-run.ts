import { it } from 'vitest'
import { createTempDb } from '../tests/support/temp-db'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { createSeedTeams, seedJobs } from './lib/seed-jobs'

it('seed', async () => {
  const t = await createTempDb()
  const teams = await createSeedTeams(t.db)
  const client = useDbClient()
  await seedJobs(client, { teams, from: 0, to: 10_000, now: new Date() })
  try {
    const r = await client.execute(`select name, sum(pgsize) sz, sum(ncell) cells from dbstat group by name order by sz desc limit 30`)
    console.log(r.rows.map(x => `${x.name} ${Number(x.sz) / 1e6} ${x.cells}`).join('\n'))
  } catch (e) { console.log(String(e)) }
  const r2 = await client.execute('select avg(length(payload)), avg(length(metadata)), avg(length(error_stack)) from discubot_jobs')
  console.log(JSON.stringify(r2.rows))
  const r3 = await client.execute('select avg(length(attempt_log)), avg(length(output)) from discubot_job_stages')
  console.log(JSON.stringify(r3.rows))
  console.log(JSON.stringify((await client.execute('pragma page_size')).rows), JSON.stringify((await client.execute('pragma page_count')).rows))
  t.cleanup()
})
