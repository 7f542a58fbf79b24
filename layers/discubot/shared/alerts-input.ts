// Body of `PUT /api/team/alerts`: where the team's alerts go. A PUT says it all: a target left
// out (or empty) is switched off.
import { z } from 'zod'

const emptyIsNull = z.literal('').transform(() => null)

export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{4,}$/

export const teamAlertsInputSchema = z.object({
  slackChannelId: z.string().trim().max(64)
    .regex(SLACK_CHANNEL_ID, 'Enter the channel\'s id (like C0123ABCDE, at the bottom of the channel\'s details), not its name')
    .nullable().optional().or(emptyIsNull),
  webhookUrl: z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' }).max(2000)
    .nullable().optional().or(emptyIsNull),
  /** Replace the webhook's signing secret (it is answered once, like a new one). */
  rotateWebhookSecret: z.boolean().optional(),
})
export type TeamAlertsInput = z.infer<typeof teamAlertsInputSchema>
