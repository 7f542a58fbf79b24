// Which config a pasted conversation runs with, decided when it is pasted: the one the request
// names (the team's own, active); without one the team's first active "Pasted conversations"
// config, else none — the team's defaults (pipeline/team-defaults.ts), which `null` asks for.
import { createError } from 'h3'
import { getDiscubotConfigsByIds, listDiscubotConfigs, readConfigSecretsState, SECRETS_NEED_REENTRY_MESSAGE } from '../../collections/configs/server/database/queries'
import { outboundPolicyOf } from '../bootstrap/default-team'
import type { LoadedConfig } from '../pipeline/stage-data'
import { teamDefaultsConfig } from '../pipeline/team-defaults'

export async function pastedConversationConfig(teamId: string, configId: string | null | undefined): Promise<LoadedConfig> {
  const policy = await outboundPolicyOf(teamId)
  const [config] = configId
    ? await getDiscubotConfigsByIds(teamId, [configId])
    : configId === null ? [] : (await listDiscubotConfigs(teamId)).filter(c => c.sourceType === 'manual' && c.active)
  if (!config) {
    if (configId) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: 'Source config not found' })
    return { stored: false, config: teamDefaultsConfig(teamId), secrets: {}, policy }
  }
  if (!config.active) throw createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message: `Source config "${config.name}" is deactivated; activate it or choose another` })
  const { secrets, needReentry } = readConfigSecretsState(config)
  if (needReentry) throw createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message: `Source config "${config.name}": ${SECRETS_NEED_REENTRY_MESSAGE}` })
  return { stored: true, config, secrets, policy }
}
