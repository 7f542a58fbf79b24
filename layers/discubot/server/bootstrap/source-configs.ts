// First-boot step: the default team's Slack and Figma configs from NUXT_SLACK_* / NUXT_FIGMA_*.
// The env is the source of truth for these configs' secrets, so every boot writes them again;
// the identities (Slack workspace + bot user, Figma user) are learned from the services.
import { consola } from 'consola'
import { createDiscubotConfig, getEnvDiscubotConfig, updateDiscubotConfig } from '../../collections/configs/server/database/queries'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import type { SecretField } from '../../shared/schemas'
import type { SourceType, ValidationState } from '../../shared/domain'
import { identify, identityColumns } from '../connections/identity'
import type { BootstrapContext } from './index'

const log = consola.withTag('bootstrap')

type EnvSecrets = Partial<Record<SecretField, string | null>>

function envString(value: string): string | null {
  return value.trim() || null
}

/** Creates the source's env config, or rewrites its secrets (null clears one the env dropped). */
async function upsertEnvConfig(ctx: BootstrapContext, sourceType: SourceType, name: string, secrets: EnvSecrets): Promise<DiscubotConfig> {
  const existing = await getEnvDiscubotConfig(sourceType)
  if (existing) return (await updateDiscubotConfig(existing.teamId, existing.id, { secrets })) ?? existing
  const present = Object.fromEntries(Object.entries(secrets).filter(([, value]) => value)) as Record<SecretField, string>
  try {
    return await createDiscubotConfig({ teamId: ctx.defaultTeam.id, sourceType, name, fromEnv: true, secrets: present })
  }
  catch (error) {
    // Another instance booting at the same time created it first (unique on fromEnv per source).
    const raced = await getEnvDiscubotConfig(sourceType)
    if (!raced) throw error
    return (await updateDiscubotConfig(raced.teamId, raced.id, { secrets })) ?? raced
  }
}

async function recordValidation(config: DiscubotConfig, state: ValidationState, message: string | null, identity: Partial<Pick<DiscubotConfig, 'slackWorkspaceId' | 'slackWorkspaceName' | 'botUserId'>> = {}) {
  await updateDiscubotConfig(config.teamId, config.id, { ...identity, validationState: state, validationMessage: message, validatedAt: new Date() })
  if (state !== 'ok') log.warn(`${config.name}: ${message}`)
}

/** An env-configured source: its secrets, and what an admin reads when one half is missing. */
interface EnvSource {
  sourceType: SourceType
  name: string
  secrets: EnvSecrets
  /** Without it threads cannot be read: the identity cannot be learned either. */
  token: string | null
  missingToken: string
  /** Without it deliveries cannot be verified. */
  verifier: string | null
  missingVerifier: string
}

async function bootstrapEnvSource(ctx: BootstrapContext, source: EnvSource) {
  if (!source.token && !source.verifier) return
  const config = await upsertEnvConfig(ctx, source.sourceType, source.name, source.secrets)
  if (!source.token) return recordValidation(config, 'warning', source.missingToken)
  const outcome = await identify(config)
  // Keep the config either way: deliveries still verify, and an admin sees why it is not fully working.
  if (!outcome.ok) return recordValidation(config, 'warning', outcome.message)
  const learned = identityColumns(config, outcome.identity)
  if (!source.verifier) return recordValidation(config, 'warning', source.missingVerifier, learned)
  await recordValidation(config, 'ok', null, learned)
}

function bootstrapSlackConfig(ctx: BootstrapContext) {
  const signingSecret = envString(ctx.settings.slackSigningSecret)
  const botToken = envString(ctx.settings.slackBotToken)
  // A signing secret without a bot token, next to the app's OAuth credentials, is the "Add to Slack"
  // app's: its installs make the configs, and a token-less env config would only warn.
  if (!botToken && ctx.settings.slackClientId.trim() && ctx.settings.slackClientSecret.trim()) return
  return bootstrapEnvSource(ctx, {
    sourceType: 'slack',
    name: 'Slack (environment)',
    secrets: { signingSecret, botToken },
    token: botToken,
    missingToken: 'NUXT_SLACK_BOT_TOKEN is not set: events are received but threads cannot be read or answered',
    verifier: signingSecret,
    missingVerifier: 'NUXT_SLACK_SIGNING_SECRET is not set: Slack events cannot be verified and are refused',
  })
}

function bootstrapFigmaConfig(ctx: BootstrapContext) {
  const figmaToken = envString(ctx.settings.figmaToken)
  const passcode = envString(ctx.settings.figmaWebhookPasscode)
  return bootstrapEnvSource(ctx, {
    sourceType: 'figma',
    name: 'Figma (environment)',
    secrets: { figmaToken, passcode },
    token: figmaToken,
    missingToken: 'NUXT_FIGMA_TOKEN is not set: comments are received but threads cannot be read or answered',
    verifier: passcode,
    missingVerifier: 'NUXT_FIGMA_WEBHOOK_PASSCODE is not set: Figma webhooks cannot be verified and are refused',
  })
}

/** One bootstrap step for both sources; a failure of one does not keep the other from being set up. */
export async function bootstrapSourceConfigsFromEnv(ctx: BootstrapContext): Promise<void> {
  const results = await Promise.allSettled([bootstrapSlackConfig(ctx), bootstrapFigmaConfig(ctx)])
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) throw failed.reason
}
