import { createHash } from 'node:crypto'

/**
 * The idempotency key of a detected task: the discussion plus the task's normalized title — never
 * the job, so a retry or a later mention of the same thread finds the page it already created.
 */
export function taskIdempotencyKey(discussionId: string, title: string): string {
  const normalized = title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
  return `${discussionId}:${createHash('sha256').update(normalized).digest('hex').slice(0, 24)}`
}
