// Slack Events API (url_verification, event_callback). Logic: layers/discubot/server/sources/slack/webhook.ts
import { handleSlackWebhook } from '#layers/discubot/server/sources/slack/webhook'

export default defineEventHandler(event => handleSlackWebhook(event))
