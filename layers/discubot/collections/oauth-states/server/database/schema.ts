import { sqliteTable, text, index } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, timestamp } from '../../../../server/database/columns'
import { OAUTH_PROVIDERS } from '../../../../shared/domain'
import { discubotTeams, discubotUsers } from '../../../teams/server/database/schema'

/**
 * One row per OAuth install started from the admin ("Add to Slack"): the `state` the provider
 * echoes back, bound to the team and the owner who started it, single-use and short-lived. Only
 * the state's SHA-256 is stored; the state itself travels in the browser's URL and cookie.
 */
export const discubotOauthStates = sqliteTable('discubot_oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  provider: text('provider', { enum: OAUTH_PROVIDERS }).notNull(),
  teamId: text('team_id').notNull().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => discubotUsers.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at').notNull(),
  /** Set by the one callback that consumed it; a second callback with the same state finds it used. */
  usedAt: timestamp('used_at'),
  ...auditColumns(),
}, t => [
  enumCheck('discubot_oauth_states_provider_check', t.provider, OAUTH_PROVIDERS),
  // Starting an install prunes the states that expired.
  index('discubot_oauth_states_expires_idx').on(t.expiresAt),
])

export type DiscubotOauthState = typeof discubotOauthStates.$inferSelect
