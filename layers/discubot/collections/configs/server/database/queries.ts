import { and, asc, eq, inArray } from 'drizzle-orm'
import { useDb, type DbOrTx } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { decryptJson, encryptJson } from '../../../../server/utils/secrets'
import { configSecretsSchema, SECRET_FIELDS, type ConfigSecrets, type SecretField } from '../../../../shared/schemas'
import type { SourceType } from '../../../../shared/domain'
import type { PublicConfig } from '../../../../shared/api'
import { discubotConfigs, type DiscubotConfig, type NewDiscubotConfig } from './schema'

type ConfigColumns = Omit<NewDiscubotConfig, 'id' | 'secretsCiphertext' | 'createdBy' | 'updatedBy' | 'createdAt' | 'updatedAt'>
export type CreateConfigInput = ConfigColumns & { secrets?: ConfigSecrets, createdBy?: string }
/** Secrets are write-only: a field set to a string replaces it, `null` clears it, absent keeps it. */
export type ConfigPatch = Partial<Omit<ConfigColumns, 'teamId'>> & { secrets?: Partial<Record<SecretField, string | null>> }

export function readConfigSecrets(config: Pick<DiscubotConfig, 'secretsCiphertext'>): ConfigSecrets {
  if (!config.secretsCiphertext) return {}
  return configSecretsSchema.parse(decryptJson(config.secretsCiphertext))
}

function sealSecrets(secrets: ConfigSecrets): string | null {
  const present = Object.fromEntries(Object.entries(configSecretsSchema.parse(secrets)).filter(([, v]) => v))
  return Object.keys(present).length ? encryptJson(present) : null
}

export function toPublicConfig(config: DiscubotConfig): PublicConfig {
  const { secretsCiphertext: _sealed, ...rest } = config
  const secrets = readConfigSecrets(config)
  const secretsSet = Object.fromEntries(SECRET_FIELDS.map(field => [field, Boolean(secrets[field])])) as Record<SecretField, boolean>
  return { ...rest, secretsSet }
}

export async function createDiscubotConfig(db: DbOrTx, input: CreateConfigInput): Promise<DiscubotConfig> {
  const { secrets, createdBy, ...columns } = input
  const by = createdBy ?? SYSTEM_USER_ID
  const [row] = await db.insert(discubotConfigs)
    .values({ ...columns, secretsCiphertext: sealSecrets(secrets ?? {}), createdBy: by, updatedBy: by })
    .returning()
  return row!
}

export async function updateDiscubotConfig(db: DbOrTx, teamId: string, id: string, patch: ConfigPatch, userId: string = SYSTEM_USER_ID): Promise<DiscubotConfig | undefined> {
  const { secrets: secretChanges, ...columns } = patch
  let secretsCiphertext: string | null | undefined
  if (secretChanges) {
    const [existing] = await db.select().from(discubotConfigs).where(and(eq(discubotConfigs.teamId, teamId), eq(discubotConfigs.id, id)))
    if (!existing) return undefined
    const current = readConfigSecrets(existing)
    const merged = Object.fromEntries(SECRET_FIELDS.flatMap((field) => {
      const change = secretChanges[field]
      if (change === null) return []
      const value = typeof change === 'string' && change !== '' ? change : current[field]
      return value ? [[field, value]] : []
    }))
    secretsCiphertext = sealSecrets(merged)
  }
  const [row] = await db.update(discubotConfigs)
    .set({ ...columns, ...(secretsCiphertext !== undefined ? { secretsCiphertext } : {}), updatedBy: userId, updatedAt: new Date() })
    .where(and(eq(discubotConfigs.teamId, teamId), eq(discubotConfigs.id, id)))
    .returning()
  return row
}

export async function getDiscubotConfigsByIds(teamId: string, ids: string[]): Promise<DiscubotConfig[]> {
  if (ids.length === 0) return []
  return useDb().select().from(discubotConfigs).where(and(eq(discubotConfigs.teamId, teamId), inArray(discubotConfigs.id, ids)))
}

export async function listDiscubotConfigs(teamId: string): Promise<DiscubotConfig[]> {
  return useDb().select().from(discubotConfigs).where(eq(discubotConfigs.teamId, teamId)).orderBy(asc(discubotConfigs.createdAt))
}

/**
 * Active configs of a source over all teams: a webhook arrives before we know its team, and the
 * config whose secret verifies it is what names the team.
 */
export async function listActiveDiscubotConfigsBySource(sourceType: SourceType): Promise<DiscubotConfig[]> {
  return useDb().select().from(discubotConfigs)
    .where(and(eq(discubotConfigs.sourceType, sourceType), eq(discubotConfigs.active, true)))
    .orderBy(asc(discubotConfigs.createdAt))
}

export async function getEnvDiscubotConfig(sourceType: SourceType): Promise<DiscubotConfig | undefined> {
  const [row] = await useDb().select().from(discubotConfigs)
    .where(and(eq(discubotConfigs.sourceType, sourceType), eq(discubotConfigs.fromEnv, true)))
  return row
}
