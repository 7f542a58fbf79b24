// A team's source configs as the admin edits them. Every answer goes through toPublicConfig, so
// no secret ever leaves the server: the UI learns only which secrets are set. Whenever a source
// credential is set or changed the config learns who it is on the source (workspace, bot user).
// A Notion property map is saved only if it fits its database (admin/notion-target.ts).
import { createError } from 'h3'
import { useSettings } from '../utils/settings'
import { assertPublicUrl, OutboundRefused } from '../utils/outbound'
import { outboundPolicyOf } from '../bootstrap/default-team'
import { identityColumns, learnConfigIdentity } from '../connections/identity'
import {
  createDiscubotConfig,
  getDiscubotConfigsByIds,
  listDiscubotConfigs,
  readConfigSecrets,
  toPublicConfig,
  updateDiscubotConfig,
} from '../../collections/configs/server/database/queries'
import type { ConfigSecrets } from '../../shared/schemas'
import type { ConfigCheckResult, PublicConfig } from '../../shared/api'
import type { ConfigCreateInput, ConfigPatchInput } from '../../shared/config-input'
import { checkConfigConnection } from '../connections/check'
import { assertNotionMapFits } from './notion-target'

export async function listTeamConfigs(teamId: string): Promise<PublicConfig[]> {
  return (await listDiscubotConfigs(teamId)).map(toPublicConfig)
}

/**
 * A tenant's model endpoint may not point at this machine or its network (checked again at call
 * time by the public-only fetch). The operator's team may: its model server may well be on the LAN.
 */
async function assertAllowedEndpoints(teamId: string, input: Pick<ConfigPatchInput, 'aiBaseUrl'>) {
  if (!input.aiBaseUrl || (await outboundPolicyOf(teamId)).privateNetwork) return
  try {
    await assertPublicUrl(input.aiBaseUrl)
  }
  catch (error) {
    if (!(error instanceof OutboundRefused)) throw error
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: `aiBaseUrl: ${error.message}` })
  }
}

const changesSourceCredential = (secrets: ConfigPatchInput['secrets']) => Boolean(secrets?.botToken || secrets?.figmaToken)

export async function createTeamConfig(teamId: string, input: ConfigCreateInput, userId: string): Promise<PublicConfig> {
  await assertAllowedEndpoints(teamId, input)
  await assertNotionMapFits(teamId, undefined, input)
  const { secrets, ...columns } = input
  // On create, a cleared secret and an absent one are the same thing.
  const initial = Object.fromEntries(Object.entries(secrets ?? {}).filter(([, value]) => value)) as ConfigSecrets
  const created = await createDiscubotConfig({ ...columns, teamId, secrets: initial, createdBy: userId })
  return toPublicConfig(changesSourceCredential(secrets) ? await learnConfigIdentity(created, userId) : created)
}

/** A changed config is unchecked again until someone checks it. */
export async function updateTeamConfig(teamId: string, id: string, patch: ConfigPatchInput, userId: string): Promise<PublicConfig | undefined> {
  await assertAllowedEndpoints(teamId, patch)
  if (patch.notionPropertyMap) {
    const [current] = await getDiscubotConfigsByIds(teamId, [id])
    if (!current) return undefined
    await assertNotionMapFits(teamId, current, patch)
  }
  // Switching a config back on overrides whatever switched it off (an uninstall, a revoked token).
  const reactivated = patch.active === true ? { deactivatedReason: null } : {}
  const row = await updateDiscubotConfig(teamId, id, { ...patch, ...reactivated, validationState: 'unknown', validationMessage: null, validatedAt: null }, userId)
  if (!row) return undefined
  return toPublicConfig(changesSourceCredential(patch.secrets) ? await learnConfigIdentity(row, userId) : row)
}

export async function checkTeamConfig(teamId: string, id: string, userId: string): Promise<ConfigCheckResult | undefined> {
  const [config] = await getDiscubotConfigsByIds(teamId, [id])
  if (!config) return undefined
  const check = await checkConfigConnection({ config, secrets: readConfigSecrets(config), settings: useSettings(), policy: await outboundPolicyOf(teamId) })
  const row = await updateDiscubotConfig(teamId, id, {
    ...(check.identity ? identityColumns(config, check.identity) : {}),
    validationState: check.state,
    validationMessage: check.message,
    validatedAt: new Date(),
  }, userId)
  return row && { config: toPublicConfig(row), findings: check.findings }
}
