// The built server with its Slack and Figma configs bootstrapped from env against fresh
// stand-ins, ready once both configs have learned their identities (auth.test, /v1/me).
import { startServer, waitFor, type ServerHandle } from './server'
import { queryDbFile } from './db-file'
import { startSlackStandin, type SlackStandin, type SlackStandinOptions } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin, type FigmaStandinOptions } from '../standins/figma'

export interface SourcesServer {
  server: ServerHandle
  slack: SlackStandin
  figma: FigmaStandin
  signingSecret: string
  passcode: string
  stop(): Promise<void>
}

export async function startSourcesServer(options: { slack?: SlackStandinOptions, figma?: FigmaStandinOptions, env?: Record<string, string | undefined>, signingSecret?: string, passcode?: string } = {}): Promise<SourcesServer> {
  const signingSecret = options.signingSecret ?? 'e2e-slack-signing-secret'
  const passcode = options.passcode ?? 'e2e-figma-passcode'
  const slack = await startSlackStandin(options.slack)
  const figma = await startFigmaStandin(options.figma)
  const server = await startServer({
    env: {
      NUXT_SLACK_SIGNING_SECRET: signingSecret,
      NUXT_SLACK_BOT_TOKEN: slack.state.token,
      NUXT_SLACK_API_URL: `${slack.url}/api/`,
      NUXT_FIGMA_TOKEN: figma.state.token,
      NUXT_FIGMA_WEBHOOK_PASSCODE: passcode,
      NUXT_FIGMA_API_URL: figma.url,
      ...options.env,
    },
  })
  await waitFor(async () => (await queryDbFile(server.dbPath, `SELECT count(*) AS n FROM discubot_configs WHERE from_env = 1 AND validation_state = 'ok'`))[0]?.n === 2, { message: 'env Slack and Figma configs validated' })
  return {
    server,
    slack,
    figma,
    signingSecret,
    passcode,
    async stop() {
      await server.kill()
      await Promise.all([slack.stop(), figma.stop()])
    },
  }
}
