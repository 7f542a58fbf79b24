// Without Notion, tasks live only in Discubot's own list: the task row is the task, so creating it
// again is a no-op and the link points at the admin's task page.
import type { Settings } from '../utils/settings'
import type { TaskSink } from './types'

export function localTaskSink(settings: Pick<Settings, 'publicBaseUrl'>): TaskSink {
  const link = (taskId: string) => ({ pageId: null, url: `${settings.publicBaseUrl.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskId)}` })
  return {
    name: 'local',
    async prepare() {
      return { warnings: [] }
    },
    async findExisting(intent) {
      return link(intent.taskId)
    },
    async create(intent) {
      return link(intent.taskId)
    },
    async preview() {
      // No columns: the task list shows every field as it is.
      return []
    },
  }
}
