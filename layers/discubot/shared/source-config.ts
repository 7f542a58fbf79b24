// What the outside-world modules (source adapters, analyzers, task sinks) may know of a source
// config: its settings, never its database row. A config row satisfies it as it is.
import type { AiProvider, SourceType } from './domain'
import type { NotionPropertyMap } from './schemas'

export interface SourceConfig {
  id: string
  teamId: string
  sourceType: SourceType
  name: string
  /** Slack workspace id (`team_id` of events). */
  slackWorkspaceId: string | null
  /** Slack channel ids to listen to; empty or null = all. */
  slackChannelIds: string[] | null
  /** Our own bot/user id on the source (Slack `auth.test` user_id, Figma `GET /v1/me` id). */
  botUserId: string | null
  figmaWebhookId: string | null
  figmaFileKeys: string[] | null
  triggerKeyword: string
  notionDatabaseId: string | null
  notionDataSourceId: string | null
  notionPropertyMap: NotionPropertyMap | null
  aiProvider: AiProvider | null
  aiModel: string | null
  aiBaseUrl: string | null
}
