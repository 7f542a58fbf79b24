// The built server as the benchmarks run it: production engine timings, the default team's Slack
// config from the env, and a Slack stand-in that knows every thread the load mentions (so the
// workers, when on, run the whole pipeline: offline analyzer, local task list, threaded reply).
import { existsSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import buildOnce from '../../tests/support/global-build'
import { testServerEntry } from '../../tests/support/paths'
import { startServer, type ServerHandle } from '../../tests/support/server'
import { startSlackStandin, type SlackStandin } from '../../tests/standins/slack'
import { postSlackEvent, slackUrlVerification } from '../../tests/standins/signing'
import type { SlackTarget } from './slack-load'
import { progress } from './report'

export const SIGNING_SECRET = 'bench-signing-secret-0123456789'
const CHANNEL = 'C0BENCH'

/** Builds into tests/.build/bench (DISCUBOT_TEST_SKIP_BUILD=1 reuses the last build). */
export function buildServer(): void {
  const started = Date.now()
  buildOnce()
  if (!existsSync(testServerEntry())) throw new Error(`no server build at ${testServerEntry()}`)
  progress(`server build ready (${((Date.now() - started) / 1000).toFixed(0)} s)`)
}

export interface BenchServer {
  server: ServerHandle
  slack: SlackStandin
  target: SlackTarget
  stop(): Promise<void>
}

export interface BenchServerOptions {
  workers: number
  dbPath?: string
  port?: number
  env?: Record<string, string>
  /** Reuse a running stand-in (a restart after kill -9 talks to the same Slack). */
  slack?: SlackStandin
}

export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const slack = options.slack ?? await startSlackStandin()
  slack.state.addChannel(CHANNEL)
  const server = await startServer({
    dbPath: options.dbPath,
    port: options.port,
    env: {
      NUXT_SLACK_SIGNING_SECRET: SIGNING_SECRET,
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_WORKER_CONCURRENCY: String(options.workers),
      // Production timings (tests/support/server.ts speeds them up for tests).
      NUXT_POLL_INTERVAL_MS: '500',
      NUXT_RETRY_BASE_MS: '1000',
      NUXT_RETRY_MAX_MS: '300000',
      NUXT_LEASE_MS: '10000',
      NUXT_HTTP_TIMEOUT_MS: '30000',
      ...options.env,
    },
  })
  // The env config exists once a signed challenge is answered.
  const deadline = Date.now() + 30_000
  for (;;) {
    const response = await postSlackEvent(server.url, slackUrlVerification('ready?'), SIGNING_SECRET).catch(() => undefined)
    if (response?.ok) break
    if (Date.now() > deadline) throw new Error(`the Slack config was not bootstrapped:\n${server.logs().slice(-3000)}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const target: SlackTarget = {
    url: server.url,
    signingSecret: SIGNING_SECRET,
    teamId: slack.state.teamId,
    channel: CHANNEL,
    onThread: ts => slack.state.seedThread(CHANNEL, { rootTs: ts, messages: 3 }),
  }
  return {
    server,
    slack,
    target,
    async stop() {
      await server.stop()
      if (!options.slack) await slack.stop()
      // The temp database is ours when the caller did not bring one.
      if (!options.dbPath) rmSync(dirname(server.dbPath), { recursive: true, force: true })
    },
  }
}
