import { runCleanupNow } from '#layers/discubot/server/admin/instance-settings'

export default defineEventHandler(async (event) => {
  await requireInstanceAdmin(event)
  return runCleanupNow()
})
