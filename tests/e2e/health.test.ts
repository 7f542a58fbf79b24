// /api/health of the built server: 200 with the queue depth when the database answers; 503 with
// db 'error' when the database cannot be opened — and the process keeps running meanwhile.
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, waitFor, type ServerHandle } from '../support/server'
import { closeDb, openServerDb } from '../support/db-file'
import { seedJob, seedTeam } from '../support/seed-rows'

let servers: ServerHandle[] = []
afterEach(async () => {
  closeDb()
  await Promise.all(servers.map(server => server.kill()))
  servers = []
})

async function health(server: ServerHandle) {
  const response = await fetch(`${server.url}/api/health`)
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

describe('GET /api/health', () => {
  it('answers 200 ok with the queue depth of the database', async () => {
    const server = await startServer()
    servers.push(server)
    const first = await health(server)
    expect(first).toEqual({ status: 200, body: { status: 'ok', db: 'ok', queue: { pending: 0, processing: 0, oldestPendingAgeMs: null } } })

    // A job due next year stays pending (no worker claims it): health counts it and reports its age.
    const db = openServerDb(server.dbPath)
    const team = await seedTeam(db, 'health')
    const job = await seedJob(db, team.id, '1.0', { runAt: new Date(Date.now() + 365 * 24 * 3_600_000) })
    const after = await health(server)
    expect(after.status).toBe(200)
    expect(after.body).toMatchObject({ status: 'ok', db: 'ok', queue: { pending: 1, processing: 0 } })
    const age = (after.body.queue as { oldestPendingAgeMs: number }).oldestPendingAgeMs
    expect(age).toBeGreaterThanOrEqual(0)
    expect(age).toBeLessThanOrEqual(Date.now() - job.createdAt.getTime())
  })

  it('answers 503 with db error while the database cannot be opened, and stays up', async () => {
    const server = await startServer({ waitHealthy: false, env: { NUXT_DATABASE_URL: 'file:/proc/nonexistent/x.db' } })
    servers.push(server)
    const answer = await waitFor(async () => {
      const response = await fetch(`${server.url}/api/health`).catch(() => undefined)
      if (server.child.exitCode !== null) throw new Error(`server exited (${server.child.exitCode}):\n${server.logs()}`)
      return response && { status: response.status, body: await response.json() as Record<string, unknown> }
    }, { message: 'the server to answer /api/health', timeoutMs: 30_000 })
    expect(answer.status).toBe(503)
    expect(answer.body).toMatchObject({ status: 'error', db: 'error' })

    // Still serving after repeated probes: the failure is reported, never fatal.
    for (let i = 0; i < 3; i++) expect((await health(server)).status).toBe(503)
    expect(server.child.exitCode).toBeNull()
    expect(server.child.signalCode).toBeNull()
  })
})
