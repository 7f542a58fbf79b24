// Every API request waits for migrations; while the database is unreachable it answers 503 so
// senders (Slack, Figma) retry instead of losing the delivery.
import { ensureMigrated } from '#layers/discubot/server/utils/db'

export default defineEventHandler(async (event) => {
  if (!event.path.startsWith('/api/')) return
  try {
    await ensureMigrated()
  }
  catch {
    throw createError({ statusCode: 503, message: 'Database unavailable, try again shortly' })
  }
})
