// What the admin APIs answer, named once. The server functions that build each answer are typed
// with these; the admin reads them as `Serialized<…>`, the same shape after JSON. Rows keep the
// types drizzle infers from the collections, so a new column shows up on both sides by itself.
import type { User } from '#auth-utils'
import type { DiscubotConfig } from '../collections/configs/server/database/schema'
import type { DiscubotDiscussion } from '../collections/discussions/server/database/schema'
import type { DiscussionListItem } from '../collections/discussions/server/database/queries'
import type { DiscubotJob, DiscubotJobStage } from '../collections/jobs/server/database/schema'
import type { JobListItem, QueueStats } from '../collections/jobs/server/database/queries'
import type { listDiscubotDelayedJobs } from '../collections/jobs/server/database/admin-queries'
import type { DiscubotTask } from '../collections/tasks/server/database/schema'
import type { DiscubotTeam } from '../collections/teams/server/database/schema'
import type { DiscubotTimer } from '../collections/timers/server/database/schema'
import type { AlertTarget, AlertType, DiscussionStatus, JobStatus, OutboxStatus, Reaction, StageName, TeamRole, ValidationState } from './domain'
import type { SecretField } from './schemas'

/** A value as it arrives through JSON: a Date becomes its ISO string, the rest keeps its shape. */
export type Serialized<T> = T extends Date ? string
  : T extends readonly (infer Item)[] ? Serialized<Item>[]
    : T extends object ? { [K in keyof T]: Serialized<T[K]> }
      : T

// Sources

/** A source config as an API may show it: never a secret, only whether each one is set. */
/** What an API may show of a config: never a secret, only whether each one is set (and readable). */
export type PublicConfig = Omit<DiscubotConfig, 'secretsCiphertext'> & { secretsSet: Record<SecretField, boolean>, secretsNeedReentry: boolean }

export interface CheckFinding {
  state: Exclude<ValidationState, 'unknown'>
  message: string
}

/** "Check connection": the config with its new validation state, and one finding per service. */
export interface ConfigCheckResult {
  config: PublicConfig
  findings: CheckFinding[]
}

// Jobs

/** A job without its lease token (a worker's fence, nobody else's business). */
export type PublicJob = Omit<DiscubotJob, 'leaseToken'>
/** A job among related jobs (retry chain, a discussion's jobs): its title instead of the payload. */
export type JobSummary = Omit<PublicJob, 'payload' | 'errorStack' | 'threadKey'> & { title: string }
export type PublicJobStage = Omit<DiscubotJobStage, 'leaseToken'>

/** A row of the Jobs list, with the job that retried it, so a dealt-with failure shows as such. */
export type JobListEntry = JobListItem & { retry: Pick<DiscubotJob, 'id' | 'status' | 'stage'> | null }

/** A discussion as a job's or a task's page links to it. */
export type DiscussionRef = Pick<DiscubotDiscussion, 'id' | 'title' | 'status' | 'sourceType' | 'sourceUrl'>

/**
 * What the thread was told about the job's chain: the reactions on the mentioning message and the
 * failure note, each with its delivery status (and why not, when it was not delivered).
 */
export interface ThreadFeedbackItem {
  kind: 'reactions' | 'failure_note'
  status: OutboxStatus
  /** reactions: working | completed | failed; failure note: failed | fixed. */
  state: string
  attempts: number
  lastError: string | null
  updatedAt: Date
  deliveredAt: Date | null
  /** reactions: what each one came to (added, removed, unsupported, failed). */
  reactions: Partial<Record<Reaction, string>>
  /** failure note: the posted message's id on the source. */
  noteId: string | null
}

export interface JobDetail {
  job: PublicJob
  /** Reactions and failure note of the job's chain (the same for every job of it). */
  feedback: ThreadFeedbackItem[]
  /** Who asked for this retry, as people read it. */
  retriedByName: string | null
  /** In pipeline order. */
  stages: PublicJobStage[]
  retryOf: JobSummary | null
  retries: JobSummary[]
  discussion: DiscussionRef | null
}

// Discussions and tasks

export interface DiscussionDetail {
  discussion: DiscubotDiscussion
  tasks: DiscubotTask[]
  /** Newest first: the job that decides the discussion's status leads. */
  jobs: JobSummary[]
}

export interface TaskDetail {
  task: DiscubotTask
  discussion: (DiscussionRef & Pick<DiscubotDiscussion, 'aiSummary'>) | null
}

/** The paged lists (`?page=…&pageSize=…`, answered as a `Page`), and the row each URL pages. */
export interface ListRows {
  '/api/jobs': JobListEntry
  '/api/discussions': DiscussionListItem
  '/api/tasks': DiscubotTask
}

// Retries

/** `POST /api/discussions/:id/retry`: the NEW job that runs the discussion again. */
export interface RetryQueued {
  jobId: string
}

export interface BulkRetryResult {
  results: Array<{ id: string, jobId?: string, created?: boolean, error?: string, statusCode?: number }>
}

/** "Retry all matching", counted before anything is queued. */
export interface RetryMatchingPreview {
  jobs: number
  discussions: number
  /** How many one run queues at most. */
  limit: number
}

export type RetryMatchingResult = BulkRetryResult & { retried: number, failed: number, remaining: number }

// Overview

export type DailyJobCounts = { day: string, total: number, failureRate: number | null } & Record<JobStatus, number>

export interface StageDuration {
  stage: StageName
  runs: number
  avgMs: number
  maxMs: number
}

export interface Overview {
  jobs: Record<JobStatus, number>
  discussions: Record<DiscussionStatus, number>
  tasks: number
  queue: QueueStats
  perDay: DailyJobCounts[]
  /** Slowest average first. */
  stageDurations: StageDuration[]
  slowestStage: StageDuration | null
}

// Schedules and settings

/** A job waiting on a clock: backing off before its next attempt, or holding a lease that ran out. */
export type ScheduledJob = Awaited<ReturnType<typeof listDiscubotDelayedJobs>>[number]

export interface Schedules {
  now: Date
  timers: DiscubotTimer[]
  delayedRetries: ScheduledJob[]
  staleLeases: ScheduledJob[]
}

export interface InstanceSettings {
  jobRetentionDays: number
  jobRetentionSource: 'saved' | 'env'
  envJobRetentionDays: number
  workerConcurrency: number
  /** The cleanup schedule; null until the server has finished booting. */
  cleanup: Pick<DiscubotTimer, 'intervalMs' | 'nextRunAt' | 'lastRunAt' | 'lastResult' | 'lastError' | 'runCount'> | null
}

export interface CleanupResult {
  deleted: number
  /** Finished jobs before this moment (ISO) were deleted. */
  cutoff: string
}

export interface SessionInfo {
  user: User
  role: TeamRole
  team: Pick<DiscubotTeam, 'id' | 'name' | 'slug'>
}

// Alerts

export interface AlertDeliveryView {
  target: AlertTarget
  status: OutboxStatus
  attempts: number
  lastError: string | null
  runAt: Date
  deliveredAt: Date | null
}

/** One alert: its words once written, its own status (sent out to the targets), and each target's delivery. */
export interface AlertView {
  id: string
  type: AlertType
  title: string | null
  status: OutboxStatus
  lastError: string | null
  createdAt: Date
  /** When it goes out (a failed-jobs alert: when its window closes). */
  runAt: Date
  deliveries: AlertDeliveryView[]
}

/** `GET /api/team/alerts`: the team's alert targets (never the webhook's secret) and its latest alerts. */
export interface TeamAlerts {
  slackChannelId: string | null
  webhookUrl: string | null
  webhookSecretSet: boolean
  alerts: AlertView[]
}

/** `PUT /api/team/alerts`: the same, and the webhook's signing secret once, when it is new. */
export type TeamAlertsSaved = TeamAlerts & { webhookSecret?: string }

/** `POST /api/team/alerts/test` */
export interface TestAlertQueued {
  id: string
}
