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
import type { DeliveryListItem } from '../collections/webhook-events/server/database/queries'
import type { AlertTarget, AlertType, DiscussionStatus, FigmaWebhookContext, JobStatus, OutboxStatus, Reaction, StageName, TeamRole, ValidationState } from './domain'
import type { DetectedTask, SecretField } from './schemas'
import type { SourceEndpoints } from './endpoints'
import type { FieldFill, NotionField } from './notion-fields'

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

/** What the Sources page needs to connect Slack and Figma (`GET /api/sources/setup`). */
export interface SourcesSetup {
  /** NUXT_PUBLIC_BASE_URL: where Slack and Figma are told to send everything. */
  baseUrl: string
  endpoints: SourceEndpoints
  /** "Add to Slack" needs the Slack app's OAuth credentials on the server; `missing` names the settings that are not set. */
  slackInstall: { available: boolean, missing: string[] }
  /** Why Slack and Figma cannot reach this server at its base URL, as far as this request tells; null when nothing is wrong. */
  reachability: string | null
}

/** A delivery of the last week as Figma lists it, without its payload (which carries the passcode). */
export interface FigmaWebhookDeliveryView {
  sentAt: string | null
  eventType: string | null
  /** Discubot's answer (200, 401, …); null when Figma got none. */
  status: number | null
  error: string | null
}

/** A Figma config's webhook (`GET|POST|DELETE /api/configs/:id/figma/webhook`). */
export interface FigmaWebhookStatus {
  /** The webhook Discubot connected; null when there is none. */
  webhook: { id: string, context: FigmaWebhookContext | null, contextId: string | null } | null
  /** What Figma says now (`ACTIVE`, `PAUSED`); null when unknown. */
  status: string | null
  endpoint: string | null
  /** Newest first, at most ten. */
  deliveries: FigmaWebhookDeliveryView[]
  /** Why Figma could not tell, in words (the webhook is gone, the token is refused, …). */
  problem: string | null
}

// A config's Notion target (the database picker, the mapping editor)

/** A database the integration can see, as the picker lists it. */
export interface NotionDatabaseOption {
  /** What picking it stores as the config's `notionDatabaseId`. */
  databaseId: string
  dataSourceId: string
  title: string
  url: string | null
}

/** `GET /api/configs/:id/notion/databases?q=` */
export interface NotionDatabaseList {
  databases: NotionDatabaseOption[]
  /** More matched than listed: type more of the name. */
  truncated: boolean
}

export interface NotionColumn {
  name: string
  type: string
}

/** One task field: the column the automatic mapping would use, the one the config names, and what a job writes into. */
export interface NotionFieldMapping {
  field: NotionField
  automatic: NotionColumn | null
  /** The column the config's property map names, when the shown database is the config's. */
  configured: string | null
  /** Where a job would write it: the configured column when it fits, else the automatic one. */
  column: NotionColumn | null
  /** Why the configured column cannot hold the field (a job would fail with it). */
  problem: string | null
}

/** `GET /api/configs/:id/notion/mapping?database=` */
export interface NotionMappingView {
  database: NotionDatabaseOption
  /** The database is the config's saved target (so `configured` shows its property map). */
  saved: boolean
  columns: NotionColumn[]
  fields: NotionFieldMapping[]
  /** What is lost without the "Discubot ID" column; null when it is there. */
  markerWarning: string | null
}

/** `POST /api/configs/:id/notion/marker` */
export interface NotionMarkerAdded {
  added: boolean
  column: string
}

// Pasted conversations

/** `POST /api/discussions`: the job that runs the pasted conversation (202). */
export interface PasteQueued {
  jobId: string
  discussionId: string
  /** False when the same conversation was already on its way (a double submit): that job. */
  created: boolean
}

/** `POST /api/discussions/preview`: what a run would produce, with nothing written. */
export interface DiscussionPreview {
  /** The config it ran with; null: the team's defaults. */
  config: { id: string, name: string } | null
  analyzer: string
  sink: 'notion' | 'local'
  /** What to fix in the target (e.g. no "Discubot ID" column). */
  warnings: string[]
  summary: string
  actionItems: string[]
  tasks: (DetectedTask & { fills: FieldFill[] })[]
}

// Jobs

/** A job without its lease token (a worker's fence, nobody else's business). */
export type PublicJob = Omit<DiscubotJob, 'leaseToken' | 'discussionFailed'>
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
  '/api/deliveries': DeliveryListItem
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

// Job controls

/** `POST /api/jobs/:id/discard`: false when it was already discarded. */
export interface DiscardResult {
  jobId: string
  discarded: boolean
}

export interface BulkDiscardResult {
  results: Array<{ jobId: string, discarded?: boolean, error?: string, statusCode?: number }>
}

/** `POST /api/jobs/:id/cancel`: done (a pending job), or asked (a running one stops at its next stage). */
export type CancelResult
  = | { status: 'cancelled', jobId: string }
    | { status: 'cancelling', jobId: string, message: string }

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
