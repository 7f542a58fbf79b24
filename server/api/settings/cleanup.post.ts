import { runCleanup } from '#layers/discubot/server/timers/cleanup'

export default defineEventHandler(async (event) => {
  await requireInstanceAdmin(event)
  return runCleanup()
})
