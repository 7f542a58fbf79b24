// Makes the reactions on a mentioning message match the job chain's state: 👀 while it works, ✅
// when it completed (👀 and ❌ taken off), ❌ when it failed (👀 taken off). Every step is
// idempotent (already there / not there counts as done), so a crash or a retry simply runs the
// plan again. A reaction that fails for good is reported on the row; it never touches the job.
import type { Reaction } from '../../shared/domain'
import { reactionsPayloadSchema, type ReactionsState } from '../../shared/outbox'
import { classifyError, type TransientError } from '../utils/errors'
import { sourceServiceName } from './failure-words'
import { threadCall } from './thread-call'
import type { Deliverer } from './types'

export interface ReactionPlan {
  add: Reaction[]
  remove: Reaction[]
}

export function reactionPlan(state: ReactionsState): ReactionPlan {
  switch (state) {
    case 'working': return { add: ['eyes'], remove: [] }
    // The new reaction first: the message never shows nothing while the plan runs.
    case 'completed': return { add: ['white_check_mark'], remove: ['eyes', 'x'] }
    case 'failed': return { add: ['x'], remove: ['eyes'] }
  }
}

type StepOutcome = 'added' | 'removed' | 'unsupported' | 'failed'

export const deliverReactions: Deliverer = async (item, ctx) => {
  const payload = reactionsPayloadSchema.parse(item.payload)
  const adapter = ctx.services.source(payload.sourceType)
  const { react, unreact } = adapter
  const source = sourceServiceName(payload.sourceType)
  if (!react || !unreact) return { status: 'skipped', error: `${source} messages take no reactions` }
  const call = await threadCall(item.teamId, payload.configId, ctx)
  const plan = reactionPlan(payload.state)
  const steps = [...plan.add.map(reaction => ({ reaction, add: true })), ...plan.remove.map(reaction => ({ reaction, add: false }))]
  const outcomes: Partial<Record<Reaction, StepOutcome>> = {}
  const problems: string[] = []
  let retryable: TransientError | undefined
  for (const { reaction, add } of steps) {
    try {
      const outcome = add ? await react.call(adapter, call, payload.thread, reaction) : await unreact.call(adapter, call, payload.thread, reaction)
      outcomes[reaction] = outcome === 'unsupported' ? 'unsupported' : add ? 'added' : 'removed'
    }
    catch (error) {
      const classified = classifyError(error)
      if (classified.kind === 'transient') retryable ??= classified
      else problems.push(`${reaction}: ${classified.message}`)
      outcomes[reaction] = 'failed'
    }
  }
  // The whole plan runs again later; the steps that worked are no-ops then.
  if (retryable) throw retryable
  const result = { state: payload.state, reactions: outcomes }
  if (problems.length) return { status: 'failed', result, error: problems.join('; ') }
  if (Object.values(outcomes).every(outcome => outcome === 'unsupported')) return { status: 'skipped', result, error: `${source} does not allow reactions on this message` }
  return { status: 'delivered', result }
}
