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
import type { DiscubotTeam, DiscubotTeamInvite } from '../collections/teams/server/database/schema'
import type { TeamMemberItem } from '../collections/teams/server/database/members'
import type { SourceUserListItem } from '../collections/people/server/database/queries'
import type { NotionPersonProfile } from '../collections/people/server/database/notion-users'
import type { DiscubotTimer } from '../collections/timers/server/database/schema'
import type { DiscussionStatus, JobStatus, StageName, TeamRole, ValidationState } from './domain'
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

export interface JobDetail {
  job: PublicJob
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
  '/api/people': SourceUserListItem
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

// People and teammates

/** A Notion person as the People page offers them. */
export type NotionPerson = NotionPersonProfile

/** `GET /api/people/notion-users`: everyone a team's Notion integrations list, by name. */
export interface NotionPeople {
  people: NotionPerson[]
}

/** `POST /api/people/import`: how many people got a (new) Notion person. */
export interface PeopleImportResult {
  updated: number
  unchanged: number
}

export type TeamMember = TeamMemberItem & { you: boolean }

/** A pending invite as owners see it: never its token, which only the link that was shown once holds. */
export type TeamInvite = Pick<DiscubotTeamInvite, 'id' | 'email' | 'role' | 'expiresAt' | 'createdAt'> & { expired: boolean }

export interface TeamMembers {
  members: TeamMember[]
  invites: TeamInvite[]
}

/** A one-time link, shown once to the owner who made it. */
export interface OneTimeLink {
  url: string
  expiresAt: Date
}

export type InviteCreated = OneTimeLink & { invite: TeamInvite }

/** What the invite page shows before anyone types: the team, the role, and whether the address already has an account. */
export interface InviteCheck {
  email: string
  teamName: string
  role: TeamRole
  expiresAt: Date
  /** The address already signs in (another team): join with that password, no new account. */
  existingAccount: boolean
}

export interface PasswordResetCheck {
  email: string
  expiresAt: Date
}
