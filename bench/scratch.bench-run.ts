import { it } from 'vitest'
import { configureDb, ensureMigrated, useDbClient } from '#layers/discubot/server/utils/db'
import { DbCounter } from './lib/db-counter'
import { adminQueryCases, measureQueries, sampleJobIds } from './parts/admin-queries'

it('exp', async () => {
  configureDb({ url: 'file:/tmp/bench-exp/100k.db' })
  await ensureMigrated()
  const client = useDbClient()
  const counter = new DbCounter(client)
  const team = String((await client.execute("select id from discubot_teams where slug='bench-team-0'")).rows[0]!.id)
  const ids = await sampleJobIds(client, team)
  const res = await measureQueries(client, counter, team, adminQueryCases(ids, new Date()), { runs: 40, scanRuns: 2 })
  for (const r of res) console.log(r.key + '\n' + r.plan.join('\n'))
})
