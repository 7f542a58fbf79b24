// The Events API payloads we act on, as zod schemas (facts: ../shared/reference/slack.md §1).
// Objects are loose: Slack adds fields over time, and an unknown field must never cost a delivery.
import { z } from 'zod'

/** `ts` is a message id like "1355517523.000005": kept as a string, never a float. */
export const slackTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/, 'expected a Slack timestamp like "1700000000.000100"')

/** Every body Slack posts has a `type`; what else it must have depends on it. */
export const slackBodySchema = z.looseObject({
  type: z.string().min(1, 'expected a non-empty string'),
})

export const slackUrlVerificationSchema = z.looseObject({
  type: z.literal('url_verification'),
  challenge: z.string().min(1).max(1000),
})

export const slackEventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  team_id: z.string().min(1).max(100),
  api_app_id: z.string().optional(),
  event_id: z.string().min(1).max(200),
  event_time: z.number().optional(),
  event: z.looseObject({
    type: z.string().min(1),
  }),
})
export type SlackEventCallback = z.infer<typeof slackEventCallbackSchema>

/** The inner event we turn into a discussion; `message` events share these fields. */
export const slackMessageEventSchema = z.looseObject({
  type: z.string(),
  subtype: z.string().optional(),
  channel: z.string().min(1).max(100),
  user: z.string().min(1).max(100).optional(),
  bot_id: z.string().optional(),
  text: z.string().max(200_000).default(''),
  ts: slackTs,
  thread_ts: slackTs.optional(),
})
export type SlackMessageEvent = z.infer<typeof slackMessageEventSchema>

export const slackAppMentionSchema = slackEventCallbackSchema.extend({ event: slackMessageEventSchema })

/** `tokens_revoked`: the user ids whose tokens died, user tokens under `oauth`, bot tokens under `bot` (slack-install.md §2). */
export const slackTokensRevokedSchema = slackEventCallbackSchema.extend({
  event: z.looseObject({
    type: z.literal('tokens_revoked'),
    tokens: z.looseObject({
      oauth: z.array(z.string()).optional(),
      bot: z.array(z.string()).optional(),
    }),
  }),
})
