// Figma Webhooks V2 (PING, FILE_COMMENT). Logic: layers/discubot/server/webhooks/figma.ts
import { handleFigmaWebhook } from '#layers/discubot/server/webhooks/figma'

export default defineEventHandler(event => handleFigmaWebhook(event))
