// The one place a source type becomes its adapter; the engine asks here and knows nothing else.
import type { SourceType } from '../../shared/domain'
import type { SourceAdapter } from './types'
import { slackAdapter } from './slack/adapter'
import { figmaAdapter } from './figma/adapter'

const adapters: Record<SourceType, SourceAdapter> = {
  slack: slackAdapter,
  figma: figmaAdapter,
}

export function getSourceAdapter(sourceType: SourceType): SourceAdapter {
  const adapter = findSourceAdapter(sourceType)
  if (!adapter) throw new Error(`No source adapter for "${sourceType}"`)
  return adapter
}

/** Undefined for a source type with no thread of its own to answer in. */
export function findSourceAdapter(sourceType: SourceType): SourceAdapter | undefined {
  return adapters[sourceType]
}
