// Figma Webhooks V2 (PING, FILE_COMMENT). Logic: layers/discubot/server/sources/figma/webhook.ts
import { handleFigmaWebhook } from '#layers/discubot/server/sources/figma/webhook'

export default defineEventHandler(event => handleFigmaWebhook(event))
