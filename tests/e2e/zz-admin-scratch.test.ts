import { it, expect } from 'vitest'
import { startServer, waitFor } from '../support/server'
import { openServerDb, queryDbFile, closeDb } from '../support/db-file'
import { signInWhenReady } from '../support/admin-client'
import { seedFailedDiscussion } from '../support/seed-admin'
import { startSlackStandin } from '../standins/slack'
import { useDb } from '#layers/discubot/server/utils/db'
import { getDiscubotTeamBySlug } from '#layers/discubot/collections/teams/server/database/queries'

it('scratch: bulk retry of seeded discussions', async () => {
  const slack = await startSlackStandin()
  slack.state.addChannel('C0X')
  const server = await startServer({ env: { NUXT_ADMIN_EMAIL: 'a@example.com', NUXT_ADMIN_PASSWORD: 'pw-pw-pw-pw', NUXT_SLACK_SIGNING_SECRET: 's', NUXT_SLACK_BOT_TOKEN: slack.state.token, NUXT_SLACK_API_URL: `${slack.url}/api/` } })
  try {
    const admin = await signInWhenReady(server, 'a@example.com', 'pw-pw-pw-pw')
    const [config] = await waitFor(async () => { const r = await queryDbFile(server.dbPath, `SELECT id FROM discubot_configs WHERE validation_state = 'ok'`); return r.length ? r : undefined })
    openServerDb(server.dbPath)
    const teamId = (await getDiscubotTeamBySlug('default'))!.id
    const seeded = []
    for (const title of ['a', 'b', 'c']) {
      const { rootTs } = slack.state.seedThread('C0X', { messages: 3 })
      seeded.push(await seedFailedDiscussion(useDb(), teamId, rootTs, { title, sourceConfigId: String(config!.id), thread: { kind: 'slack', workspaceId: slack.state.teamId, channel: 'C0X', threadTs: rootTs, messageTs: rootTs } }))
    }
    closeDb()
    if (process.env.SCRATCH_RESTART) {
      await server.stop()
      Object.assign(server, await startServer({ dbPath: server.dbPath, port: server.port, env: { NUXT_SLACK_SIGNING_SECRET: 's', NUXT_SLACK_BOT_TOKEN: slack.state.token, NUXT_SLACK_API_URL: `${slack.url}/api/` } }))
    }
    const retry = await admin.call('/api/discussions/retry', { method: 'POST', body: { ids: seeded.map(s => s.discussion.id) } })
    console.log('retry', retry.status, JSON.stringify(retry.body))
    for (let i = 0; i < 8; i++) {
      const t = Date.now()
      let err = ''
      
      const jobs = await queryDbFile(server.dbPath, `SELECT status, stage, error FROM discubot_jobs WHERE retry_of_job_id IS NOT NULL`)
      console.log(i, Date.now() - t, err, jobs.map(j => `${j.status}/${j.stage}/${String(j.error ?? '').slice(0, 80)}`).join(' | '))
      await new Promise(r => setTimeout(r, 1000))
    }
    console.log(server.logs().slice(0, 6000))
    console.log(JSON.stringify(await queryDbFile(server.dbPath, 'SELECT id, status, run_at, locked_until, thread_key FROM discubot_jobs')))
  }
  finally {
    closeDb()
    await server.kill()
    await slack.stop()
  }
  expect(true).toBe(true)
})
