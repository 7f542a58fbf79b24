// The one place a source type becomes its adapter; the engine asks here and knows nothing else.
import type { SourceType } from '../../shared/domain'
import type { SourceAdapter } from './types'
import { slackAdapter } from './slack/adapter'
import { figmaAdapter } from './figma/adapter'
import { manualAdapter } from './manual/adapter'

const adapters: Record<SourceType, SourceAdapter> = {
  slack: slackAdapter,
  figma: figmaAdapter,
  manual: manualAdapter,
}

export function getSourceAdapter(sourceType: SourceType): SourceAdapter {
  const adapter = adapters[sourceType]
  if (!adapter) throw new Error(`No source adapter for "${sourceType}"`)
  return adapter
}
