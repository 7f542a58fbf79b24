// The contract between the runner and the six stages: one signature, one context.
import type { Write } from '../utils/db'
import type { Settings } from '../utils/settings'
import type { DiscubotJob } from '../../collections/jobs/server/database/schema'
import type { JobLinks } from '../../collections/jobs/server/database/lifecycle'
import type { ConfigSecrets, DiscussionInput, JobMetadata } from '../../shared/schemas'
import type { SourceConfig } from '../../shared/source-config'
import type { SourceType, StageName } from '../../shared/domain'
import type { SourceAdapter } from '../sources/types'
import type { Analyzer } from '../analysis/types'
import type { TaskSink } from '../sinks/types'
import type { OutboundPolicy } from '../utils/outbound'
import type { DiscubotDiscussion } from '../../collections/discussions/server/database/schema'
import type { LoadedConfig } from './stage-data'

export type { Write }

/** The checkpoint each stage leaves on its stage row; a resumed job reloads these. */
export interface StageOutputs {
  ingestion: { sourceThreadId: string }
  /** `configId` null: a pasted conversation run on the team's defaults. */
  config_loading: { configId: string | null, discussionId: string }
  thread_building: { messages: number, pages?: number, reused: boolean }
  ai_analysis: { analyzer: string, tasks: number, actionItems: number, reused: boolean }
  task_creation: { taskIds: string[], created: number, reused: number, sink: string }
  /** `skipped`: the source has no thread to answer (a pasted conversation), so no reply was attempted. */
  notification: { replyId: string, replyUrl?: string, alreadyPosted: boolean } | { skipped: string }
}

export interface StageResult<N extends StageName = StageName> {
  output: StageOutputs[N]
  /** Committed atomically with the checkpoint (and only if the lease still holds). */
  writes?: Write[]
  /** Columns of the job row to set with the checkpoint. */
  jobPatch?: JobLinks
  jobMetadata?: Partial<JobMetadata>
}

/** The outside world the stages talk to; tests pass their own. */
export interface PipelineServices {
  source(sourceType: SourceType): SourceAdapter
  /** `policy`: whether the instance's credentials and private addresses may serve this config's team. */
  analyzer(config: SourceConfig, secrets: ConfigSecrets, settings: Settings, policy: OutboundPolicy): Analyzer
  taskSink(config: SourceConfig, secrets: ConfigSecrets, settings: Settings, policy: OutboundPolicy): TaskSink
}

export interface StageContext {
  /** The job as the runner knows it (patched by earlier stages' `jobPatch`). */
  job: DiscubotJob
  input: DiscussionInput
  /** Attempt number of this stage, 1 for the first. */
  attempt: number
  /**
   * An earlier attempt of this stage, or an earlier job of this retry chain, may already have
   * done the side effect: look before doing it again (Notion marker, reply marker).
   */
  mayHaveRun: boolean
  outputs: Partial<StageOutputs>
  settings: Settings
  services: PipelineServices
  /** Aborted when the lease is lost or the instance shuts down. */
  signal: AbortSignal
  /** Commits writes now, fenced by the job's lease (a mid-stage intent, e.g. a task row). */
  fenced(writes: Write[]): Promise<void>
  /**
   * Live progress for the timeline: a fraction 0–1 (null keeps the last one) and a message such as
   * "fetched page 3 of the thread". Cheap to call often: persisted throttled, fenced, best effort.
   */
  progress(fraction: number | null, message?: string): void
  /** Test builds only: pauses at a named point so a crash test can kill -9 there. */
  hold(point: string): Promise<void>
  /** What this run already read or wrote (stage-data.ts): the stages of one run read each row once. */
  cache: RunCache
}

/**
 * Rows one run of a job keeps between its stages instead of reading them again: the job holds
 * its lease, so nobody else changes them meanwhile; what the run itself writes is applied to them.
 * Gone with the run: a resumed or retried job reads fresh rows.
 */
export interface RunCache {
  config?: { id: string | null, loaded: Promise<LoadedConfig> }
  discussion?: DiscubotDiscussion
  /** Tasks the run created or found, by id: what the reply links to. */
  tasks?: Map<string, { title: string, url: string, taskIndex: number }>
}

export interface Stage<N extends StageName = StageName> {
  name: N
  run(ctx: StageContext): Promise<StageResult<N>>
}
