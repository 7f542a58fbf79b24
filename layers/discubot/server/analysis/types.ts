// What the ai_analysis stage needs: a thread in, a validated analysis out.
import type { Analysis, ThreadData } from '../../shared/schemas'
import type { SourceType } from '../../shared/domain'

export interface AnalysisInput {
  title: string
  sourceType: SourceType
  sourceUrl?: string | null
  thread: ThreadData
}

export interface Analyzer {
  /** e.g. `offline`, `anthropic:claude-…`, `openai:…` — recorded on the stage checkpoint. */
  name: string
  analyze(input: AnalysisInput, options: { signal?: AbortSignal }): Promise<Analysis>
}
