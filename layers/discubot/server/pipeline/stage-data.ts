// Reads the stages share: the job's source config (with its secrets) and its discussion.
import { and, eq } from 'drizzle-orm'
import { PermanentError } from '../utils/errors'
import { discubotConfigs, type DiscubotConfig } from '../../collections/configs/server/database/schema'
import { readConfigSecretsState, SECRETS_NEED_REENTRY_MESSAGE } from '../../collections/configs/server/database/queries'
import { updateDiscubotDiscussionStatement, type DiscussionPatch } from '../../collections/discussions/server/database/queries'
import { discubotDiscussions, type DiscubotDiscussion } from '../../collections/discussions/server/database/schema'
import type { ConfigSecrets } from '../../shared/schemas'
import type { StageContext } from './types'

export interface LoadedConfig {
  config: DiscubotConfig
  secrets: ConfigSecrets
}

export async function loadConfig(ctx: StageContext): Promise<LoadedConfig> {
  const configId = ctx.outputs.config_loading?.configId ?? ctx.job.sourceConfigId
  if (!configId) throw new PermanentError('The job has no source config')
  const [config] = await ctx.db.select().from(discubotConfigs)
    .where(and(eq(discubotConfigs.teamId, ctx.job.teamId), eq(discubotConfigs.id, configId)))
  if (!config) throw new PermanentError(`Source config ${configId} no longer exists`)
  // Going on without them would quietly fall back to the server's Notion and model keys.
  const { secrets, needReentry } = readConfigSecretsState(config)
  if (needReentry) throw new PermanentError(`Source config "${config.name}": ${SECRETS_NEED_REENTRY_MESSAGE}`)
  return { config, secrets }
}

export async function loadDiscussion(ctx: StageContext): Promise<DiscubotDiscussion> {
  const discussionId = ctx.outputs.config_loading?.discussionId ?? ctx.job.discussionId
  if (!discussionId) throw new PermanentError('The job has no discussion yet')
  const [discussion] = await ctx.db.select().from(discubotDiscussions)
    .where(and(eq(discubotDiscussions.teamId, ctx.job.teamId), eq(discubotDiscussions.id, discussionId)))
  if (!discussion) throw new PermanentError(`Discussion ${discussionId} no longer exists`)
  return discussion
}

/** A discussion update the stage hands to the runner, committed with its checkpoint. */
export function updateDiscussion(ctx: StageContext, id: string, patch: DiscussionPatch) {
  return updateDiscubotDiscussionStatement(ctx.db, ctx.job.teamId, id, patch)
}
