import { and, asc, eq, exists, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { useDb, type Write } from '../../../../server/utils/db'
import { SYSTEM_USER_ID } from '../../../../server/utils/constants'
import { derivedId } from '../../../../server/utils/derived-id'
import { newId } from '../../../../server/database/columns'
import { isSealedWithCurrentKey, openJson, sealJson } from '../../../../server/utils/secrets'
import { useSecretsKeyring } from '../../../../server/utils/secrets-key'
import { configSecretsSchema, SECRET_FIELDS, type ConfigSecrets, type SecretField } from '../../../../shared/schemas'
import type { FigmaWebhookContext, SourceType, ValidationState } from '../../../../shared/domain'
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
  // Every webhook verifies against its source's configs: open each sealed payload once. The key is
  // the payload itself (a change of secrets is a new payload) under this keyring (a new key is a
  // new keyring), so the cache is exact, for every instance, without being told of changes.
  let opened = openedSecrets.get(keyring)
  if (!opened) openedSecrets.set(keyring, opened = new Map())
  const key = `${config.id}\u0000${config.secretsCiphertext}`
  const known = opened.get(key)
  if (known) return { secrets: { ...known.secrets }, needReentry: known.needReentry }
  const reading = openSecrets(config.id, config.secretsCiphertext, keyring)
  opened.set(key, reading)
  if (opened.size > OPENED_SECRETS_KEPT) opened.delete(opened.keys().next().value!)
  return { secrets: { ...reading.secrets }, needReentry: reading.needReentry }
}

/** Sealed payloads kept opened, per keyring (a few per config; the oldest go first). */
const OPENED_SECRETS_KEPT = 256
const openedSecrets = new WeakMap<ReturnType<typeof useSecretsKeyring>, Map<string, ConfigSecretsReading>>()

function openSecrets(configId: string, ciphertext: string, keyring: ReturnType<typeof useSecretsKeyring>): ConfigSecretsReading {
  try {
    const secrets = configSecretsSchema.parse(openJson(ciphertext, secretsContext(configId), keyring))
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

// Slack installs ("Add to Slack") and the workspace's own say (uninstall, revoked tokens)

/**
 * Another team's Slack configs of the workspace, other than those the workspace itself switched
 * off (app uninstalled, token revoked): a workspace connected to one team cannot be installed
 * into another, or its deliveries would reach both.
 */
function slackWorkspaceConnectedElsewhere(workspaceId: string, teamId: string) {
  const other = alias(discubotConfigs, 'other')
  return exists(useDb().select({ one: sql`1` }).from(other).where(and(
    eq(other.sourceType, 'slack'),
    eq(other.slackWorkspaceId, workspaceId),
    ne(other.teamId, teamId),
    isNull(other.deactivatedReason),
  )))
}

export async function isSlackWorkspaceConnectedElsewhere(workspaceId: string, teamId: string): Promise<boolean> {
  const rows = await useDb().select({ one: sql`1` }).from(discubotConfigs).where(slackWorkspaceConnectedElsewhere(workspaceId, teamId)).limit(1)
  return rows.length > 0
}

export interface SlackInstallRecord {
  teamId: string
  userId: string
  workspaceId: string
  workspaceName: string | null
  appId: string | null
  botUserId: string
  /** The name a new config gets; an existing config keeps its own. */
  name: string
  secrets: Required<Pick<ConfigSecrets, 'botToken' | 'signingSecret'>>
  validation: { state: ValidationState, message: string }
}

export type SlackInstallOutcome
  = | { status: 'created' | 'updated', config: DiscubotConfig }
    | { status: 'taken' }

/** The config an install of the workspace lands in: its own (derived id), else the team's oldest hand-made one. */
async function slackInstallTarget(teamId: string, workspaceId: string, installId: string): Promise<DiscubotConfig | undefined> {
  const rows = await useDb().select().from(discubotConfigs)
    .where(and(eq(discubotConfigs.teamId, teamId), eq(discubotConfigs.sourceType, 'slack'), eq(discubotConfigs.slackWorkspaceId, workspaceId), eq(discubotConfigs.fromEnv, false)))
    .orderBy(asc(discubotConfigs.createdAt))
  return rows.find(row => row.id === installId) ?? rows[0]
}

function installedColumns(record: SlackInstallRecord) {
  return {
    active: true,
    deactivatedReason: null,
    slackWorkspaceId: record.workspaceId,
    slackWorkspaceName: record.workspaceName,
    slackAppId: record.appId,
    botUserId: record.botUserId,
    validationState: record.validation.state,
    validationMessage: record.validation.message,
    validatedAt: new Date(),
  }
}

/**
 * The team's Slack config for the installed workspace, created or updated (never a second one),
 * unless another team has the workspace. A new config's id is derived from team and workspace, and
 * its insert shares one batch with the other-team check, so racing callbacks (same team or not)
 * still end with one config in one team.
 */
export async function recordSlackInstall(record: SlackInstallRecord): Promise<SlackInstallOutcome> {
  if (await isSlackWorkspaceConnectedElsewhere(record.workspaceId, record.teamId)) return { status: 'taken' }
  const id = derivedId('slack-install', record.teamId, record.workspaceId)
  const update = async (configId: string) => {
    const row = await updateDiscubotConfig(record.teamId, configId, { ...installedColumns(record), secrets: record.secrets }, record.userId)
    if (!row) throw new Error(`Slack config ${configId} disappeared while the install was recorded`)
    return { status: 'updated' as const, config: row }
  }
  const existing = await slackInstallTarget(record.teamId, record.workspaceId, id)
  if (existing) return update(existing.id)

  const db = useDb()
  const [inserted, withdrawn] = await db.batch([
    db.insert(discubotConfigs).values({
      ...installedColumns(record),
      id,
      teamId: record.teamId,
      sourceType: 'slack',
      name: record.name,
      secretsCiphertext: sealSecrets(id, record.secrets),
      createdBy: record.userId,
      updatedBy: record.userId,
    }).onConflictDoNothing().returning(),
    db.delete(discubotConfigs)
      .where(and(eq(discubotConfigs.teamId, record.teamId), eq(discubotConfigs.id, id), slackWorkspaceConnectedElsewhere(record.workspaceId, record.teamId)))
      .returning({ id: discubotConfigs.id }),
  ])
  if (withdrawn.length > 0) return { status: 'taken' }
  if (inserted[0]) return { status: 'created', config: inserted[0] }
  // The same install's other callback created it a moment ago.
  return update(id)
}

/**
 * Switches configs off because their source said so (the Slack app was uninstalled, its token
 * revoked), recording why. A repeated event changes nothing. Returns how many were switched off.
 */
export async function deactivateDiscubotConfigs(configs: Pick<DiscubotConfig, 'id' | 'teamId'>[], reason: string): Promise<number> {
  if (configs.length === 0) return 0
  const db = useDb()
  const now = new Date()
  const writes = configs.map(config => db.update(discubotConfigs)
    .set({ active: false, deactivatedReason: reason, validationState: 'error', validationMessage: reason, validatedAt: now, updatedBy: SYSTEM_USER_ID, updatedAt: now })
    .where(and(eq(discubotConfigs.teamId, config.teamId), eq(discubotConfigs.id, config.id), eq(discubotConfigs.active, true)))
    .returning({ id: discubotConfigs.id }))
  const results = await db.batch(writes as [typeof writes[number], ...typeof writes])
  return results.filter(rows => rows.length > 0).length
}

// Figma webhooks created from the admin

/**
 * The config with `field` set: the value already stored, or `generate()`'s, written only if no
 * other writer set one meanwhile (the write applies only to the payload that was read). Two racing
 * callers therefore end up with the same secret. Undefined when the config does not exist.
 */
export async function ensureDiscubotConfigSecret(teamId: string, id: string, field: SecretField, generate: () => string, userId: string): Promise<DiscubotConfig | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [row] = await getDiscubotConfigsByIds(teamId, [id])
    if (!row) return undefined
    const current = readConfigSecrets(row)
    if (current[field]) return row
    const read = row.secretsCiphertext
    const [written] = await useDb().update(discubotConfigs)
      .set({ secretsCiphertext: sealSecrets(id, { ...current, [field]: generate() }), updatedBy: userId, updatedAt: new Date() })
      .where(and(eq(discubotConfigs.teamId, teamId), eq(discubotConfigs.id, id), read === null ? isNull(discubotConfigs.secretsCiphertext) : eq(discubotConfigs.secretsCiphertext, read)))
      .returning()
    if (written) return written
  }
  throw new Error(`config ${id}: its secrets keep changing; try again`)
}

export interface AttachedFigmaWebhook {
  id: string
  context: FigmaWebhookContext
  contextId: string
}

/**
 * Records the webhook Discubot created for the config, unless the config got another one meanwhile
 * (a second "Connect" racing this one): then undefined, and the caller deletes its own at Figma.
 */
export async function attachFigmaWebhook(teamId: string, id: string, webhook: AttachedFigmaWebhook, userId: string): Promise<DiscubotConfig | undefined> {
  const [row] = await useDb().update(discubotConfigs)
    .set({
      figmaWebhookId: webhook.id,
      figmaWebhookContext: webhook.context,
      figmaWebhookContextId: webhook.contextId,
      validationState: 'unknown',
      validationMessage: null,
      validatedAt: null,
      updatedBy: userId,
      updatedAt: new Date(),
    })
    .where(and(
      eq(discubotConfigs.teamId, teamId),
      eq(discubotConfigs.id, id),
      or(isNull(discubotConfigs.figmaWebhookId), eq(discubotConfigs.figmaWebhookId, webhook.id)),
    ))
    .returning()
  return row
}

/** Forgets the config's webhook `webhookId` (deleted at Figma); undefined when the config has another one or none. */
export async function detachFigmaWebhook(teamId: string, id: string, webhookId: string, userId: string): Promise<DiscubotConfig | undefined> {
  const [row] = await useDb().update(discubotConfigs)
    .set({ figmaWebhookId: null, figmaWebhookContext: null, figmaWebhookContextId: null, validationState: 'unknown', validationMessage: null, validatedAt: null, updatedBy: userId, updatedAt: new Date() })
    .where(and(eq(discubotConfigs.teamId, teamId), eq(discubotConfigs.id, id), eq(discubotConfigs.figmaWebhookId, webhookId)))
    .returning()
  return row
}
