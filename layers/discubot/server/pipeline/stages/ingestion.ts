import { discussionInputSchema } from '../../../shared/schemas'
import { PermanentError } from '../../utils/errors'
import type { Stage } from '../types'

/** Validates what the webhook stored; a malformed payload can never succeed, so it fails at once. */
export const ingestionStage: Stage<'ingestion'> = {
  name: 'ingestion',
  async run(ctx) {
    const parsed = discussionInputSchema.safeParse(ctx.job.payload)
    if (!parsed.success) {
      throw new PermanentError(`Invalid discussion payload: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    }
    return { output: { sourceThreadId: parsed.data.sourceThreadId } }
  },
}
