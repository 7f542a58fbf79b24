import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { newId } from '../../../../server/database/columns'
import { isSealedWithCurrentKey, openJson, sealJson } from '../../../../server/utils/secrets'
import { useSecretsKeyring } from '../../../../server/utils/secrets-key'
import { configSecretsSchema, SECRET_FIELDS, type ConfigSecrets, type SecretField } from '../../../../shared/schemas'
import type { SourceType } from '../../../../shared/domain'
import type { PublicConfig } from '../../../../shared/api'
import { discubotConfigs, type DiscubotConfig, type NewDiscubotConfig } from './schema'

type ConfigColumns = Omit<NewDiscubotConfig, 'id' | 'secretsCiphertext' | 'createdBy' | 'updatedBy' | 'createdAt' | 'updatedAt'>
export type CreateConfigInput = ConfigColumns & { secrets?: ConfigSecrets, createdBy?: string }
/** Secrets are write-only: a field set to a string replaces it, `null` clears it, absent keeps it. */
export type ConfigPatch = Partial<Omit<ConfigColumns, 'teamId'>> & { secrets?: Partial<Record<SecretField, string | null>> }

export const SECRETS_NEED_REENTRY_MESSAGE = 'Secrets need re-entry: they were encrypted with a different key'

type SealedConfig = Pick<DiscubotConfig, 'id' | 'secretsCiphertext'>

/** Secrets that no key of this instance opens read as unset, and say so: they must be entered again. */
export interface ConfigSecretsReading {
  secrets: ConfigSecrets
  needReentry: boolean
}

/** A payload opens only on the row it was sealed for. */
const secretsContext = (configId: string) => `discubot_configs:${configId}`

export function readConfigSecretsState(config: SealedConfig): ConfigSecretsReading {
  if (!config.secretsCiphertext) return { secrets: {}, needReentry: false }
  const keyring = useSecretsKeyring()
  try {
    const secrets = configSecretsSchema.parse(openJson(config.secretsCiphertext, secretsContext(config.id), keyring))
    return { secrets, needReentry: false }
  }
  catch {
    // No key opens it, or it opens to something that is not a secrets object: unusable either way.
    return { secrets: {}, needReentry: true }
  }
}

export function readConfigSecrets(config: SealedConfig): ConfigSecrets {
  return readConfigSecretsState(config).secrets
}

function sealSecrets(configId: string, secrets: ConfigSecrets): string | null {
  const present = Object.fromEntries(Object.entries(configSecretsSchema.parse(secrets)).filter(([, v]) => v))
  return Object.keys(present).length ? sealJson(present, secretsContext(configId), useSecretsKeyring()) : null
}

export function toPublicConfig(config: DiscubotConfig): PublicConfig {
  const { secretsCiphertext: _sealed, ...rest } = config
  const { secrets, needReentry } = readConfigSecretsState(config)
  const secretsSet = Object.fromEntries(SECRET_FIELDS.map(field => [field, Boolean(secrets[field])])) as Record<SecretField, boolean>
  if (!needReentry) return { ...rest, secretsSet, secretsNeedReentry: false }
  // Computed, not stored: whether a payload opens depends on this instance's keys.
  return { ...rest, secretsSet, secretsNeedReentry: true, validationState: 'error', validationMessage: SECRETS_NEED_REENTRY_MESSAGE }
}

export async function createDiscubotConfig(input: CreateConfigInput): Promise<DiscubotConfig> {
  const { secrets, createdBy, ...columns } = input
  const by = createdBy ?? SYSTEM_USER_ID
  const id = newId()
  const [row] = await useDb().insert(discubotConfigs)
    .values({ ...columns, id, secretsCiphertext: sealSecrets(id, secrets ?? {}), createdBy: by, updatedBy: by })
    .returning()
  return row!
}

export async function updateDiscubotConfig(teamId: string, id: string, patch: ConfigPatch, userId: string = SYSTEM_USER_ID): Promise<DiscubotConfig | undefined> {
  const { secrets: secretChanges, ...columns } = patch
  let secretsCiphertext: string | null | undefined
  if (secretChanges) {
    const [existing] = await useDb().select().from(discubotConfigs).where(and(eq(discubotConfigs.teamId, teamId), eq(discubotConfigs.id, id)))
    if (!existing) return undefined
    // Unreadable secrets count as unset, so new ones replace the payload instead of failing.
    const current = readConfigSecrets(existing)
    const merged = Object.fromEntries(SECRET_FIELDS.flatMap((field) => {
      const change = secretChanges[field]
      if (change === null) return []
      const value = typeof change === 'string' && change !== '' ? change : current[field]
      return value ? [[field, value]] : []
    }))
    secretsCiphertext = sealSecrets(id, merged)
  }
  const [row] = await useDb().update(discubotConfigs)
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

/**
 * What the task sink learned about the config's target, as a statement for the stage's fenced
 * batch: the resolved Notion data source, and mapping warnings added to what the config shows
 * (unless it already says so or carries an error). Nothing to record → undefined.
 */
export function recordConfigTargetFindings(
  config: Pick<DiscubotConfig, 'id' | 'teamId' | 'validationState' | 'validationMessage' | 'notionDataSourceId'>,
  findings: { warnings: string[], dataSourceId?: string },
): Write | undefined {
  const message = findings.warnings.join(' ')
  const warn = message !== '' && config.validationState !== 'error' && !config.validationMessage?.includes(message)
  const dataSourceChanged = findings.dataSourceId !== undefined && findings.dataSourceId !== config.notionDataSourceId
  if (!warn && !dataSourceChanged) return undefined
  const now = new Date()
  return useDb().update(discubotConfigs).set({
    ...(dataSourceChanged ? { notionDataSourceId: findings.dataSourceId } : {}),
    ...(warn
      ? { validationState: 'warning' as const, validationMessage: [config.validationMessage, message].filter(Boolean).join(' '), validatedAt: now }
      : {}),
    updatedBy: SYSTEM_USER_ID,
    updatedAt: now,
  }).where(and(eq(discubotConfigs.teamId, config.teamId), eq(discubotConfigs.id, config.id)))
}

export interface ResealReport {
  /** Configs re-sealed under the current key. */
  resealed: number
  /** Configs already under the current key. */
  current: number
  /** Configs no key of this instance opens: left as they are until someone enters their secrets again. */
  unreadable: Pick<DiscubotConfig, 'id' | 'teamId' | 'name'>[]
}

/**
 * Re-seals every config's secrets (all teams) under the keyring's first key, so older keys can be
 * dropped. Each write applies only if the payload is still the one that was read, so a PATCH that
 * lands meanwhile is never overwritten with the old secrets.
 */
export async function resealDiscubotConfigSecrets(): Promise<ResealReport> {
  const keyring = useSecretsKeyring()
  const rows = await useDb().select().from(discubotConfigs).where(isNotNull(discubotConfigs.secretsCiphertext))
  const report: ResealReport = { resealed: 0, current: 0, unreadable: [] }
  const now = new Date()
  const writes = rows.flatMap((row) => {
    if (isSealedWithCurrentKey(row.secretsCiphertext!, keyring)) {
      report.current++
      return []
    }
    const { secrets, needReentry } = readConfigSecretsState(row)
    if (needReentry) {
      report.unreadable.push({ id: row.id, teamId: row.teamId, name: row.name })
      return []
    }
    return [useDb().update(discubotConfigs)
      .set({ secretsCiphertext: sealSecrets(row.id, secrets), updatedBy: SYSTEM_USER_ID, updatedAt: now })
      .where(and(eq(discubotConfigs.id, row.id), eq(discubotConfigs.secretsCiphertext, row.secretsCiphertext!)))
      .returning({ id: discubotConfigs.id })]
  })
  if (writes.length > 0) {
    const results = await useDb().batch(writes as [typeof writes[number], ...typeof writes])
    report.resealed = results.filter(result => result.length > 0).length
  }
  return report
}
