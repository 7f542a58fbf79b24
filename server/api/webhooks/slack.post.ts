// Slack Events API (url_verification, event_callback). Logic: layers/discubot/server/webhooks/slack.ts
import { handleSlackWebhook } from '#layers/discubot/server/webhooks/slack'

export default defineEventHandler(event => handleSlackWebhook(event))
