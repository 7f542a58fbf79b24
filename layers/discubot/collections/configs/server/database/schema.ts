import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'
import { auditColumns, enumCheck, idColumn, jsonCheck, jsonColumn, nullableEnumCheck, timestamp } from '../../../../server/database/columns'
import { AI_PROVIDERS, FIGMA_WEBHOOK_CONTEXTS, SOURCE_TYPES, VALIDATION_STATES } from '../../../../shared/domain'
import { notionPropertyMapSchema, stringListSchema } from '../../../../shared/schemas'
import { discubotTeams } from '../../../teams/server/database/schema'

/**
 * A team's source config: where discussions come from (Slack workspace / Figma files), where tasks
 * go (Notion) and which model reads them. Secrets live only in `secretsCiphertext` (AES-GCM).
 */
export const discubotConfigs = sqliteTable('discubot_configs', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  sourceType: text('source_type', { enum: SOURCE_TYPES }).notNull(),
  name: text('name').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  /** Slack workspace id (`team_id` of events), learned from `auth.test` when bootstrapped from env. */
  slackWorkspaceId: text('slack_workspace_id'),
  /** The workspace's name as Slack reports it (`auth.test` / `oauth.v2.access`), for people. */
  slackWorkspaceName: text('slack_workspace_name'),
  /** The Slack app that was installed ("Add to Slack"); null for a token pasted by hand. */
  slackAppId: text('slack_app_id'),
  /** Slack channel ids to listen to; empty = all. */
  slackChannelIds: jsonColumn('slack_channel_ids', stringListSchema),
  /** Our own bot user id (from `auth.test` / Figma `GET /v1/me`): its messages never trigger. */
  botUserId: text('bot_user_id'),
  figmaWebhookId: text('figma_webhook_id'),
  /** Where the webhook Discubot created listens: a team, a project or a file (and its id). */
  figmaWebhookContext: text('figma_webhook_context', { enum: FIGMA_WEBHOOK_CONTEXTS }),
  figmaWebhookContextId: text('figma_webhook_context_id'),
  figmaFileKeys: jsonColumn('figma_file_keys', stringListSchema),
  triggerKeyword: text('trigger_keyword').notNull().default('@discubot'),
  secretsCiphertext: text('secrets_ciphertext'),
  notionDatabaseId: text('notion_database_id'),
  notionDataSourceId: text('notion_data_source_id'),
  notionPropertyMap: jsonColumn('notion_property_map', notionPropertyMapSchema),
  aiProvider: text('ai_provider', { enum: AI_PROVIDERS }),
  aiModel: text('ai_model'),
  aiBaseUrl: text('ai_base_url'),
  /** A job that fails for good replies once in its thread saying why (feedback/failure-note.ts). */
  failureNotes: integer('failure_notes', { mode: 'boolean' }).notNull().default(true),
  validationState: text('validation_state', { enum: VALIDATION_STATES }).notNull().default('unknown'),
  validationMessage: text('validation_message'),
  validatedAt: timestamp('validated_at'),
  /** Why the source switched the config off by itself (Slack app uninstalled, token revoked); null otherwise. */
  deactivatedReason: text('deactivated_reason'),
  /** The config bootstrapped from NUXT_SLACK_* / NUXT_FIGMA_* env settings. */
  fromEnv: integer('from_env', { mode: 'boolean' }).notNull().default(false),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_configs_source_type_check', t.sourceType, SOURCE_TYPES),
  nullableEnumCheck('discubot_configs_ai_provider_check', t.aiProvider, AI_PROVIDERS),
  enumCheck('discubot_configs_validation_state_check', t.validationState, VALIDATION_STATES),
  nullableEnumCheck('discubot_configs_figma_webhook_context_check', t.figmaWebhookContext, FIGMA_WEBHOOK_CONTEXTS),
  jsonCheck('discubot_configs_slack_channel_ids_json', t.slackChannelIds),
  jsonCheck('discubot_configs_figma_file_keys_json', t.figmaFileKeys),
  jsonCheck('discubot_configs_notion_property_map_json', t.notionPropertyMap),
  index('discubot_configs_team_source_idx').on(t.teamId, t.sourceType, t.active),
  // Every webhook looks up the active configs of its source across teams (before it knows the team).
  index('discubot_configs_source_active_idx').on(t.sourceType, t.active, t.createdAt),
  index('discubot_configs_slack_workspace_idx').on(t.slackWorkspaceId).where(sql`${t.slackWorkspaceId} IS NOT NULL`),
  uniqueIndex('discubot_configs_env_unique').on(t.sourceType).where(sql`${t.fromEnv} = 1`),
])

export type DiscubotConfig = typeof discubotConfigs.$inferSelect
export type NewDiscubotConfig = typeof discubotConfigs.$inferInsert
