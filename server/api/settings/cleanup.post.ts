import { runCleanup } from '#layers/discubot/server/timers/cleanup'
import type { CleanupResult } from '#layers/discubot/shared/api'

export default defineEventHandler(async (event): Promise<CleanupResult> => {
  await requireInstanceAdmin(event)
  return runCleanup()
})
