import type { DiscussionInput } from '../../shared/schemas'

/** Jobs of one thread share this key; the queue runs them one at a time. */
export function threadKeyOf(teamId: string, input: Pick<DiscussionInput, 'sourceType' | 'sourceThreadId'>) {
  return `${teamId}:${input.sourceType}:${input.sourceThreadId}`
}
