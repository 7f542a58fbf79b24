// The real outside world the stages talk to; tests pass their own PipelineServices to the runner.
import { getSourceAdapter } from '../sources/registry'
import { resolveAnalyzer } from '../analysis/resolve'
import { resolveTaskSink } from '../sinks/resolve'
import type { PipelineServices } from './types'

export const defaultServices: PipelineServices = {
  source: getSourceAdapter,
  analyzer: resolveAnalyzer,
  taskSink: resolveTaskSink,
}
