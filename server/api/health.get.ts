import { getDiscubotQueueStats } from '#layers/discubot/collections/jobs/server/database/queries'

export default defineEventHandler(async (event) => {
  try {
    const queue = await getDiscubotQueueStats()
    return { status: 'ok', db: 'ok', queue }
  }
  catch {
    setResponseStatus(event, 503)
    return { status: 'error', db: 'error', queue: null }
  }
})
