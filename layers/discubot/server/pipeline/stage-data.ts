// Reads the stages share: the job's source config (with its secrets) and its discussion.
import { PermanentError } from '../utils/errors'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { getDiscubotConfigsByIds, readConfigSecretsState, SECRETS_NEED_REENTRY_MESSAGE } from '../../collections/configs/server/database/queries'
import { getDiscubotDiscussion, updateDiscubotDiscussionStatement, type DiscussionPatch } from '../../collections/discussions/server/database/queries'
import type { DiscubotDiscussion } from '../../collections/discussions/server/database/schema'
import type { ConfigSecrets } from '../../shared/schemas'
import type { StageContext, Write } from './types'
import type { OutboundPolicy } from '../utils/outbound'
import { outboundPolicyOf } from '../bootstrap/default-team'
import { teamDefaultsConfig } from './team-defaults'

interface ConfigContext {
  secrets: ConfigSecrets
  /** What the config's team may use of the instance (its credentials, private addresses). */
  policy: OutboundPolicy
}

/** The job's config row, or for a pasted conversation run without one the team's defaults (not a row). */
export type LoadedConfig = ConfigContext & ({ stored: true, config: DiscubotConfig } | { stored: false, config: ReturnType<typeof teamDefaultsConfig> })

/** The job's config, read and decrypted once per run. */
export function loadConfig(ctx: StageContext): Promise<LoadedConfig> {
  const configId = ctx.outputs.config_loading?.configId ?? ctx.job.sourceConfigId
  if (ctx.cache.config?.id !== configId) ctx.cache.config = { id: configId, loaded: readConfig(ctx, configId) }
  return ctx.cache.config.loaded
}

async function readConfig(ctx: StageContext, configId: string | null): Promise<LoadedConfig> {
  if (!configId) {
    // A pasted conversation carries its thread; a webhook's job needs its config to read one.
    if (ctx.input.sourceType !== 'manual') throw new PermanentError('The job has no source config')
    return { stored: false, config: teamDefaultsConfig(ctx.job.teamId), secrets: {}, policy: await outboundPolicyOf(ctx.job.teamId) }
  }
  const [config] = await getDiscubotConfigsByIds(ctx.job.teamId, [configId])
  if (!config) throw new PermanentError(`Source config ${configId} no longer exists`)
  // Going on without them would quietly fall back to the server's Notion and model keys.
  const { secrets, needReentry } = readConfigSecretsState(config)
  if (needReentry) throw new PermanentError(`Source config "${config.name}": ${SECRETS_NEED_REENTRY_MESSAGE}`)
  return { stored: true, config, secrets, policy: await outboundPolicyOf(config.teamId) }
}

/** The job's discussion: read once per run, then kept up to date with the run's own updates. */
export async function loadDiscussion(ctx: StageContext): Promise<DiscubotDiscussion> {
  const discussionId = ctx.outputs.config_loading?.discussionId ?? ctx.job.discussionId
  if (!discussionId) throw new PermanentError('The job has no discussion yet')
  if (ctx.cache.discussion?.id === discussionId) return ctx.cache.discussion
  const discussion = await getDiscubotDiscussion(ctx.job.teamId, discussionId)
  if (!discussion) throw new PermanentError(`Discussion ${discussionId} no longer exists`)
  ctx.cache.discussion = discussion
  return discussion
}

/**
 * A discussion update the stage hands to the runner, committed with its checkpoint. The run's
 * copy takes it at once: a stage that fails ends the run, and its copy with it.
 */
export function updateDiscussion(ctx: StageContext, id: string, patch: DiscussionPatch): Write {
  if (ctx.cache.discussion?.id === id) ctx.cache.discussion = { ...ctx.cache.discussion, ...patch } as DiscubotDiscussion
  return updateDiscubotDiscussionStatement(ctx.job.teamId, id, patch)
}
