// Background work (pipeline, outbox, timers) takes one statement per event-loop turn
// (utils/background-turns.ts), so a request that arrives while a stage runs is read between two of
// its statements instead of after the whole stage; a request's own statements never wait.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDb, configureDb, useDbClient } from '#layers/discubot/server/utils/db'
import { runInBackground } from '#layers/discubot/server/utils/background-turns'
import { tempDir } from '../support/temp-db'

afterEach(() => closeDb())

const STATEMENTS = 200

/** Runs STATEMENTS awaited statements; `done` counts them, so a callback can see how far they got. */
async function statements(progress: { done: number }) {
  const client = useDbClient()
  for (let i = 0; i < STATEMENTS; i++) {
    await client.execute({ sql: 'INSERT INTO t (v) VALUES (?)', args: [i] })
    progress.done++
  }
}

async function freshDb() {
  configureDb({ url: `file:${join(tempDir(), 'turns.db')}` })
  await useDbClient().execute('CREATE TABLE t (v INTEGER)')
}

describe('background turns', () => {
  it('a callback waiting on the event loop runs between two background statements, and the work still finishes', async () => {
    await freshDb()
    const progress = { done: 0 }
    let timerFiredAt: number | undefined
    const work = runInBackground(() => statements(progress))
    // Stands for a webhook's next step (a socket read, the group-commit timer): it waits for the loop.
    setTimeout(() => timerFiredAt = progress.done, 0)
    await work
    expect(progress.done).toBe(STATEMENTS)
    expect(timerFiredAt).toBeLessThan(STATEMENTS)
    const rows = await useDbClient().execute('SELECT count(*) AS n FROM t')
    expect(Number(rows.rows[0]!.n)).toBe(STATEMENTS)
  })

  it('a request\'s own statements do not wait for turns', async () => {
    await freshDb()
    const progress = { done: 0 }
    let timerFiredAt: number | undefined
    setTimeout(() => timerFiredAt = progress.done, 0)
    await statements(progress)
    // Awaited statements of a request resolve as microtasks: the timer could not run in between.
    expect(timerFiredAt).toBeUndefined()
    await new Promise(resolve => setTimeout(resolve, 5))
    expect(timerFiredAt).toBe(STATEMENTS)
  })
})
