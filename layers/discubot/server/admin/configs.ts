// A team's source configs as the admin edits them. Every answer goes through toPublicConfig, so
// no secret ever leaves the server: the UI learns only which secrets are set.
import { useDb } from '../utils/db'
import { useSettings } from '../utils/settings'
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
import { checkConfigConnection } from './config-check'

export async function listTeamConfigs(teamId: string): Promise<PublicConfig[]> {
  return (await listDiscubotConfigs(teamId)).map(toPublicConfig)
}

export async function createTeamConfig(teamId: string, input: ConfigCreateInput, userId: string): Promise<PublicConfig> {
  const { secrets, ...columns } = input
  // On create, a cleared secret and an absent one are the same thing.
  const initial = Object.fromEntries(Object.entries(secrets ?? {}).filter(([, value]) => value)) as ConfigSecrets
  return toPublicConfig(await createDiscubotConfig(useDb(), { ...columns, teamId, secrets: initial, createdBy: userId }))
}

/** A changed config is unchecked again until someone checks it. */
export async function updateTeamConfig(teamId: string, id: string, patch: ConfigPatchInput, userId: string): Promise<PublicConfig | undefined> {
  const row = await updateDiscubotConfig(useDb(), teamId, id, { ...patch, validationState: 'unknown', validationMessage: null, validatedAt: null }, userId)
  return row && toPublicConfig(row)
}

export async function checkTeamConfig(teamId: string, id: string, userId: string): Promise<ConfigCheckResult | undefined> {
  const [config] = await getDiscubotConfigsByIds(teamId, [id])
  if (!config) return undefined
  const check = await checkConfigConnection(config, readConfigSecrets(config), useSettings())
  const row = await updateDiscubotConfig(useDb(), teamId, id, {
    validationState: check.state,
    validationMessage: check.message,
    validatedAt: new Date(),
  }, userId)
  return row && { config: toPublicConfig(row), findings: check.findings }
}
