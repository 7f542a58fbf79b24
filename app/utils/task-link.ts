/** The task's Notion page, if it has one; local tasks link to their own page in the admin. */
export function notionUrlOf(task: { id: string, notionPageUrl: string | null }): string | undefined {
  const url = task.notionPageUrl
  return url && !url.includes(`/tasks/${task.id}`) ? url : undefined
}
