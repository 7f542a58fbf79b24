// Query of `GET /api/oauth/slack/callback`: Slack sends `code` and `state`, or `error` (and `state`)
// when the person cancels (../shared/reference/slack-install.md §2).
import { z } from 'zod'

export const slackCallbackQuerySchema = z.object({
  state: z.string().min(1).max(200),
  code: z.string().min(1).max(1000).optional(),
  error: z.string().min(1).max(200).optional(),
})
export type SlackCallbackQuery = z.infer<typeof slackCallbackQuerySchema>
