// First boot with NUXT_SLACK_* / NUXT_FIGMA_* set: the default team's configs appear with their
// secrets sealed and their identities learned from the (stand-in) services; later boots update them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bootstrapSourceConfigsFromEnv } from '#layers/discubot/server/bootstrap/source-configs'
import { ensureDefaultTeam } from '#layers/discubot/server/bootstrap/default-team'
import type { BootstrapContext } from '#layers/discubot/server/bootstrap/index'
import { getEnvDiscubotConfig, listActiveDiscubotConfigsBySource, readConfigSecrets } from '#layers/discubot/collections/configs/server/database/queries'
import { configureSettings, resolveSettings, type Settings } from '#layers/discubot/server/utils/settings'
import { createTempDb, type TempDb } from '../support/temp-db'
import { startSlackStandin, slackPlatformError, type SlackStandin } from '../standins/slack'
import { startFigmaStandin, type FigmaStandin } from '../standins/figma'

let slack: SlackStandin
let figma: FigmaStandin
let temp: TempDb

beforeAll(async () => {
  slack = await startSlackStandin({ teamId: 'T0ACME', botUserId: 'U0BOT' })
  figma = await startFigmaStandin({ me: { id: '555' } })
})
afterAll(async () => {
  await slack.stop()
  await figma.stop()
})
beforeEach(async () => {
  temp = await createTempDb()
  slack.faults.clear()
  figma.faults.clear()
})
afterEach(() => temp.cleanup())

/** `env`: the settings the environment gives (secrets of the default team's configs). */
async function boot(env: Partial<Settings>) {
  const settings = resolveSettings({ slackApiUrl: `${slack.url}/api/`, figmaApiUrl: figma.url, httpTimeoutMs: 1000, ...env })
  configureSettings(settings)
  const ctx: BootstrapContext = {
    settings,
    defaultTeam: await ensureDefaultTeam(),
  }
  await bootstrapSourceConfigsFromEnv(ctx)
  return ctx
}

const slackEnv = () => ({ slackSigningSecret: 'sign-1', slackBotToken: slack.state.token })
const figmaEnv = () => ({ figmaToken: figma.state.token, figmaWebhookPasscode: 'pass-1' })

describe('bootstrapSourceConfigsFromEnv', () => {
  it('creates nothing without env settings', async () => {
    await boot({ slackSigningSecret: '', slackBotToken: '' })
    expect(await listActiveDiscubotConfigsBySource('slack')).toHaveLength(0)
    expect(await listActiveDiscubotConfigsBySource('figma')).toHaveLength(0)
  })

  it('creates the default team\'s Slack config and learns the workspace and bot user from auth.test', async () => {
    const ctx = await boot(slackEnv())
    const config = (await getEnvDiscubotConfig('slack'))!
    expect(config).toMatchObject({ teamId: ctx.defaultTeam.id, fromEnv: true, active: true, slackWorkspaceId: 'T0ACME', botUserId: 'U0BOT', validationState: 'ok', validationMessage: null })
    expect(readConfigSecrets(config)).toEqual({ signingSecret: 'sign-1', botToken: slack.state.token })
    // Sealed at rest: the ciphertext contains neither secret.
    expect(config.secretsCiphertext).not.toContain('sign-1')
    expect(slack.requests.at(-1)!.route).toBe('auth.test')
  })

  it('updates the secrets on a later boot, without a second config', async () => {
    await boot(slackEnv())
    await boot({ slackSigningSecret: 'sign-2', slackBotToken: slack.state.token })
    const configs = await listActiveDiscubotConfigsBySource('slack')
    expect(configs).toHaveLength(1)
    expect(readConfigSecrets(configs[0]!).signingSecret).toBe('sign-2')
  })

  it('keeps the config with a warning when auth.test fails', async () => {
    slack.faults.push(slackPlatformError('auth.test', 'invalid_auth'))
    await boot(slackEnv())
    const config = (await getEnvDiscubotConfig('slack'))!
    expect(config).toMatchObject({ validationState: 'warning', validationMessage: 'Slack auth.test failed: invalid_auth', slackWorkspaceId: null })
    expect(readConfigSecrets(config).signingSecret).toBe('sign-1')
    // A later boot with Slack reachable learns the identity and clears the warning.
    await boot(slackEnv())
    expect(await getEnvDiscubotConfig('slack')).toMatchObject({ validationState: 'ok', slackWorkspaceId: 'T0ACME', validationMessage: null })
  })

  it('warns when only the signing secret is set', async () => {
    await boot({ slackSigningSecret: 'sign-1' })
    const config = (await getEnvDiscubotConfig('slack'))!
    expect(config.validationState).toBe('warning')
    expect(config.validationMessage).toContain('NUXT_SLACK_BOT_TOKEN')
  })

  it('creates the Figma config and learns our Figma user from /v1/me', async () => {
    await boot(figmaEnv())
    const config = (await getEnvDiscubotConfig('figma'))!
    expect(config).toMatchObject({ fromEnv: true, botUserId: '555', validationState: 'ok' })
    expect(readConfigSecrets(config)).toEqual({ figmaToken: figma.state.token, passcode: 'pass-1' })
  })

  it('keeps the Figma config with a warning when Figma refuses the token', async () => {
    await boot({ figmaToken: 'wrong', figmaWebhookPasscode: 'pass-1' })
    const config = (await getEnvDiscubotConfig('figma'))!
    expect(config).toMatchObject({ validationState: 'warning', validationMessage: 'Figma GET /v1/me failed: 403 Invalid token' })
  })

  it('sets up both sources in one step, and is safe to run twice at once', async () => {
    const env = { ...slackEnv(), ...figmaEnv() }
    await Promise.all([boot(env), boot(env)])
    expect(await listActiveDiscubotConfigsBySource('slack')).toHaveLength(1)
    expect(await listActiveDiscubotConfigsBySource('figma')).toHaveLength(1)
  })
})
