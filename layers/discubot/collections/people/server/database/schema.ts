import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, idColumn, nullableEnumCheck, timestamp } from '../../../../server/database/columns'
import { NOTION_MATCHES, PEOPLE_SOURCES } from '../../../../shared/domain'
import { discubotTeams } from '../../../teams/server/database/schema'

/**
 * A person Discubot has seen in a team's threads, as the source describes them (Slack `users.info`,
 * Figma comment authors), and the Notion person their tasks go to. The id is derived from the
 * identity (see queries.ts), so two jobs meeting the same person write the same row.
 */
export const discubotSourceUsers = sqliteTable('discubot_source_users', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  source: text('source', { enum: PEOPLE_SOURCES }).notNull(),
  /** The Slack workspace (`team_id`); empty for Figma, whose user ids are global. */
  workspaceId: text('workspace_id').notNull().default(''),
  sourceUserId: text('source_user_id').notNull(),
  displayName: text('display_name'),
  realName: text('real_name'),
  /** Lower-cased; only when the source shares it (Slack `users:read.email`). */
  email: text('email'),
  avatarUrl: text('avatar_url'),
  isBot: integer('is_bot', { mode: 'boolean' }).notNull().default(false),
  /** When the source last described this person; null while every lookup has failed. */
  fetchedAt: timestamp('fetched_at'),
  notionUserId: text('notion_user_id'),
  notionMatch: text('notion_match', { enum: NOTION_MATCHES }),
  /** A Notion person with exactly this name: shown on the People page, never used until an owner picks it. */
  suggestedNotionUserId: text('suggested_notion_user_id'),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_source_users_source_check', t.source, PEOPLE_SOURCES),
  nullableEnumCheck('discubot_source_users_notion_match_check', t.notionMatch, NOTION_MATCHES),
  uniqueIndex('discubot_source_users_identity_unique').on(t.teamId, t.source, t.workspaceId, t.sourceUserId),
  // The People page lists a team's people by name.
  index('discubot_source_users_team_name_idx').on(t.teamId, t.realName),
  // Automatic matching joins on the e-mail within a team.
  index('discubot_source_users_team_email_idx').on(t.teamId, t.email),
])

/**
 * The people of a Notion workspace, as one integration lists them (`GET /v1/users`, every page),
 * per team: the choices of the People page and the targets of e-mail matching.
 */
export const discubotNotionUsers = sqliteTable('discubot_notion_users', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  /** Which integration listed them (a hash of its token, never the token). */
  integrationKey: text('integration_key').notNull(),
  notionUserId: text('notion_user_id').notNull(),
  name: text('name'),
  /** Lower-cased; only with the integration's "user information including email" capability. */
  email: text('email'),
  avatarUrl: text('avatar_url'),
  /** The listing that last contained this person; older rows are people who left. */
  fetchedAt: timestamp('fetched_at').notNull(),
  ...auditColumns(),
}, t => [
  uniqueIndex('discubot_notion_users_identity_unique').on(t.teamId, t.integrationKey, t.notionUserId),
  index('discubot_notion_users_team_email_idx').on(t.teamId, t.email),
  index('discubot_notion_users_team_name_idx').on(t.teamId, t.name),
])

export type DiscubotSourceUser = typeof discubotSourceUsers.$inferSelect
export type NewDiscubotSourceUser = typeof discubotSourceUsers.$inferInsert
export type DiscubotNotionUser = typeof discubotNotionUsers.$inferSelect
