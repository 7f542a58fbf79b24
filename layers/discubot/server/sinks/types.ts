// Where detected tasks go: Notion pages, or Discubot's own task list.
import type { Analysis, DetectedTask } from '../../shared/schemas'
import type { FieldFill } from '../../shared/notion-fields'

export interface TaskIntent extends DetectedTask {
  /** The task row's id (links of the local task list point at it). */
  taskId: string
  /** Derived from discussion + task; written into the page as the "Discubot ID" marker. */
  idempotencyKey: string
  sourceUrl?: string | null
  discussionTitle: string
  /** The assignee's Notion person, when the assignee is a known person mapped to one (People page). */
  assigneeNotionUserId?: string | null
}

export interface CreatedTask {
  pageId: string | null
  url: string
}

/** What a sink learned about its target; the task_creation stage records it on the config. */
export interface SinkTarget {
  /** What an admin should fix (e.g. a missing marker column), shown as the config's validation message. */
  warnings: string[]
  /** The Notion data source pages go to, once resolved from the configured database. */
  dataSourceId?: string
}

/** A person of the sink's workspace (a Notion user), as the People page offers them. */
export interface SinkPerson {
  id: string
  name: string | null
  email: string | null
  avatarUrl: string | null
}

/** The people a sink can assign tasks to. */
export interface SinkPeople {
  /** Names the workspace listing (a hash of the integration token, never the token). */
  key: string
  /** Everyone, every page of the list. */
  list(options: { signal?: AbortSignal }): Promise<SinkPerson[]>
}

export interface TaskSink {
  name: 'notion' | 'local'
  /** Present when tasks can be assigned to the sink's own people (Notion). */
  people?: SinkPeople
  /** Reads the target once before any task (cached across jobs). */
  prepare(options: { signal?: AbortSignal }): Promise<SinkTarget>
  /** A page an earlier attempt created for this intent (looked up by its marker), if any. */
  findExisting(intent: TaskIntent, options: { signal?: AbortSignal }): Promise<CreatedTask | null>
  create(intent: TaskIntent, analysis: Analysis, options: { signal?: AbortSignal }): Promise<CreatedTask>
  /** What `create` would write for `intent`, field by field, writing nothing (the dry run). */
  preview(intent: TaskIntent, options: { signal?: AbortSignal }): Promise<FieldFill[]>
}
