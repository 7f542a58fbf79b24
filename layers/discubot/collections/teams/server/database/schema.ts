import { sqliteTable, text, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, idColumn, timestamp } from '../../../../server/database/columns'
import { TEAM_ROLES } from '../../../../shared/domain'

export const discubotTeams = sqliteTable('discubot_teams', {
  id: idColumn(),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  ...auditColumns(),
}, t => [uniqueIndex('discubot_teams_slug_unique').on(t.slug)])

export const discubotUsers = sqliteTable('discubot_users', {
  id: idColumn(),
  /** Stored lower-cased; sign-in compares lower-cased. */
  email: text('email').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  /** One-time setup token (hashed) for a first admin created without a password. */
  setupTokenHash: text('setup_token_hash'),
  lastLoginAt: timestamp('last_login_at'),
  /**
   * Sealed into every session cookie at sign-in and compared on every request: raising it ends
   * every session of the user at once (sign-out, password change, removal from the team).
   */
  sessionVersion: integer('session_version').notNull().default(0),
  ...auditColumns(),
}, t => [uniqueIndex('discubot_users_email_unique').on(t.email)])

export const discubotTeamMembers = sqliteTable('discubot_team_members', {
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => discubotUsers.id, { onDelete: 'cascade' }),
  role: text('role', { enum: TEAM_ROLES }).notNull(),
  ...auditColumns(),
}, t => [
  primaryKey({ columns: [t.teamId, t.userId] }),
  index('discubot_team_members_user_idx').on(t.userId),
  enumCheck('discubot_team_members_role_check', t.role, TEAM_ROLES),
])

/**
 * A pending invitation: whoever opens the link (only its hash is stored) joins the team with the
 * role. One per team and e-mail (a new invite replaces it); accepting or revoking deletes it.
 */
export const discubotTeamInvites = sqliteTable('discubot_team_invites', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  /** Lower-cased. */
  email: text('email').notNull(),
  role: text('role', { enum: TEAM_ROLES }).notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at').notNull(),
  ...auditColumns(),
}, t => [
  uniqueIndex('discubot_team_invites_token_unique').on(t.tokenHash),
  uniqueIndex('discubot_team_invites_team_email_unique').on(t.teamId, t.email),
  enumCheck('discubot_team_invites_role_check', t.role, TEAM_ROLES),
])

/** A one-time link an owner made for a member to choose a new password (hash only; one per user). */
export const discubotPasswordResets = sqliteTable('discubot_password_resets', {
  id: idColumn(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => discubotUsers.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at').notNull(),
  ...auditColumns(),
}, t => [
  uniqueIndex('discubot_password_resets_token_unique').on(t.tokenHash),
  uniqueIndex('discubot_password_resets_user_unique').on(t.userId),
])

export type DiscubotTeam = typeof discubotTeams.$inferSelect
export type DiscubotUser = typeof discubotUsers.$inferSelect
export type DiscubotTeamMember = typeof discubotTeamMembers.$inferSelect
export type DiscubotTeamInvite = typeof discubotTeamInvites.$inferSelect
export type DiscubotPasswordReset = typeof discubotPasswordResets.$inferSelect
