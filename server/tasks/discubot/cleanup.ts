// On-demand trigger of the cleanup the database schedule also runs (timer row "cleanup").
import { runCleanup } from '#layers/discubot/server/timers/cleanup'

export default defineTask({
  meta: {
    name: 'discubot:cleanup',
    description: 'Delete finished jobs older than NUXT_JOB_RETENTION_DAYS (default 30)',
  },
  async run({ payload }) {
    const retentionDays = typeof payload?.retentionDays === 'number' ? payload.retentionDays : undefined
    return { result: await runCleanup({ retentionDays }) }
  },
})
