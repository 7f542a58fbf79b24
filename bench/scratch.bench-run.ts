import { it } from 'vitest'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { createTempDb } from '../tests/support/temp-db'
import { createSeedTeams, seedJobs } from './lib/seed-jobs'
import { DbCounter } from './lib/db-counter'
import { adminQueryCases, measureQueries, sampleJobIds } from './parts/admin-queries'

it('queries', async () => {
  const t = await createTempDb()
  const teams = await createSeedTeams(t.db)
  const client = useDbClient()
  const counter = new DbCounter(client)
  const now = new Date()
  let prev = 0
  for (const size of [10_000, 100_000]) {
    await seedJobs(client, { teams, from: prev, to: size, now })
    prev = size
    const ids = await sampleJobIds(client, teams.ids[0])
    const res = await measureQueries(client, counter, teams.ids[0], adminQueryCases(ids, now), { runs: 50, scanRuns: 3 })
    for (const r of res) console.log(size, r.key, r.summary.p50.toFixed(2), r.summary.p95.toFixed(2), 'scan', r.scan.p50.toFixed(1))
    if (size === 100_000) for (const r of res) console.log(r.key + '\n' + r.plan.join('\n'))
  }
  t.cleanup()
})
