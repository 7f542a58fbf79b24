import { it } from 'vitest'
import { useDbClient } from '#layers/discubot/server/utils/db'
import { createTempDb } from '../tests/support/temp-db'
import { createSeedTeams, seedJobs } from './lib/seed-jobs'
import { queueSlackJob, seedTeamWithSlackConfig } from '../tests/support/engine-fixtures'
import { runCleanup } from '#layers/discubot/server/timers/cleanup'
import { statSync } from 'node:fs'

it('stalls', async () => {
  const t = await createTempDb()
  const teams = await createSeedTeams(t.db)
  const client = useDbClient()
  await seedJobs(client, { teams, from: 0, to: 20000, now: new Date(Date.now() - 31 * 86400000) })
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
  const { team, config } = await seedTeamWithSlackConfig(t.db, 'x')
  const slow: string[] = []
  const wrap = (name: 'execute' | 'batch') => {
    const orig = (client[name] as (...a: unknown[]) => Promise<unknown>).bind(client)
    ;(client as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
      const s = performance.now()
      try { return await orig(...a) }
      finally {
        const ms = performance.now() - s
        if (ms > 40) { const x = a[0] as { sql?: string } | string; slow.push(`${ms.toFixed(0)}ms ${name} ${(typeof x === 'string' ? x : x?.sql ?? '').slice(0, 80)} wal=${statSync(t.path + '-wal').size}`) }
      }
    }
  }
  wrap('execute'); wrap('batch')
  const origTx = client.transaction.bind(client)
  client.transaction = (async (m?: 'write') => {
    const s = performance.now()
    const tx = await origTx(m)
    const commit = tx.commit.bind(tx)
    tx.commit = async () => {
      const c = performance.now(); try { return await commit() }
      finally { const ms = performance.now() - c; if (ms > 40) slow.push(`${ms.toFixed(0)}ms COMMIT (tx open ${(performance.now() - s).toFixed(0)}) wal=${statSync(t.path + '-wal').size}`) }
    }
    return tx
  }) as typeof client.transaction
  let k = 0
  const lat: number[] = []
  let stop = false
  const load = (async () => {
    const start = performance.now()
    for (let i = 0; !stop; i++) {
      const due = start + i * 10
      const w = due - performance.now()
      if (w > 1) await new Promise(r => setTimeout(r, w))
      void queueSlackJob(team.id, config.id, `${1900000000 + k++}.000100`).then(() => lat.push(performance.now() - due))
    }
  })()
  const s = performance.now()
  const r = await runCleanup({ retentionDays: 30 })
  console.log('cleanup', r.deleted, performance.now() - s)
  stop = true
  await load
  lat.sort((a, b) => a - b)
  console.log('lat p50', lat[Math.floor(lat.length / 2)]!.toFixed(1), 'p99', lat[Math.floor(lat.length * 0.99)]!.toFixed(1), 'max', lat.at(-1)!.toFixed(1), 'n', lat.length)
  console.log(slow.slice(0, 40).join('\n'))
  t.cleanup()
})
