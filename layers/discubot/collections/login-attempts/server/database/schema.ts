import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'
import { auditColumns, enumCheck, timestamp } from '../../../../server/database/columns'
import { LOGIN_LIMIT_SCOPES } from '../../../../shared/domain'

/**
 * Sign-in tries per account (the e-mail typed, whether or not it has an account, so a limit
 * tells nothing about which addresses exist) and per client address. In the database rather
 * than in memory so every instance counts the same tries. Not team data: an e-mail or an
 * address belongs to no team until someone has signed in.
 */
export const discubotLoginAttempts = sqliteTable('discubot_login_attempts', {
  scope: text('scope', { enum: LOGIN_LIMIT_SCOPES }).notNull(),
  /** The lower-cased e-mail, or the client's address (an IPv6 client's /64). */
  key: text('key').notNull(),
  /** Tries counted since `countingSince`: taken before the password check, given back by a success. */
  tries: integer('tries').notNull(),
  countingSince: timestamp('counting_since').notNull(),
  lastTryAt: timestamp('last_try_at').notNull(),
  ...auditColumns(),
}, t => [
  primaryKey({ columns: [t.scope, t.key] }),
  enumCheck('discubot_login_attempts_scope_check', t.scope, LOGIN_LIMIT_SCOPES),
  // Pruning deletes the rows nobody has tried for a while.
  index('discubot_login_attempts_last_try_idx').on(t.lastTryAt),
])

export type DiscubotLoginAttempt = typeof discubotLoginAttempts.$inferSelect
