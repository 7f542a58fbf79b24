import { sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { auditColumns } from '../../../../server/database/columns'
import { discubotTeams } from '../../../teams/server/database/schema'

/**
 * Where a team's alerts go: a Slack channel (posted by the team's bot) and/or an outgoing webhook,
 * whose signing secret is sealed like config secrets (server/utils/secrets.ts).
 */
export const discubotTeamAlerts = sqliteTable('discubot_team_alerts', {
  teamId: text('team_id').primaryKey().references(() => discubotTeams.id, { onDelete: 'cascade' }),
  slackChannelId: text('slack_channel_id'),
  webhookUrl: text('webhook_url'),
  webhookSecretCiphertext: text('webhook_secret_ciphertext'),
  ...auditColumns(),
})

export type DiscubotTeamAlerts = typeof discubotTeamAlerts.$inferSelect
