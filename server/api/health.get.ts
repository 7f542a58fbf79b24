// Readiness: the database answers reads, this instance's recent writes succeeded, and the queue
// depth. 503 while either fails, so a load balancer (and Slack/Figma) go elsewhere or retry.
import { getDiscubotQueueStats } from '#layers/discubot/collections/jobs/server/database/queries'
import { dbWriteHealth } from '#layers/discubot/server/utils/db-health'

export default defineEventHandler(async (event) => {
  let queue
  try {
    queue = await getDiscubotQueueStats()
  }
  catch {
    setResponseStatus(event, 503)
    return { status: 'error', db: 'error', queue: null }
  }
  const writes = dbWriteHealth()
  if (!writes.writable) {
    setResponseStatus(event, 503)
    return { status: 'degraded', db: 'unwritable', failingSince: writes.failingSince, queue }
  }
  return { status: 'ok', db: 'ok', queue }
})
