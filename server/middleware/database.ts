// Every API request waits for migrations; while the database is unreachable it answers 503 so
// senders (Slack, Figma) retry instead of losing the delivery.
import { ensureMigrated } from '#layers/discubot/server/utils/db'

export default defineEventHandler(async (event) => {
  // Health and ping answer for themselves (health reports the database state in its own shape).
  if (!event.path.startsWith('/api/') || event.path === '/api/health' || event.path === '/api/ping') return
  try {
    await ensureMigrated()
  }
  catch {
    throw createError({ statusCode: 503, message: 'Database unavailable, try again shortly' })
  }
})
