// Vocabulary shared by the database, the server and the admin UI. The database enforces the same
// lists with CHECK constraints (see the collection schemas), so a typo cannot reach a row.

/** Where a discussion comes from: a Slack or Figma webhook, or a conversation pasted in the admin. */
export const SOURCE_TYPES = ['slack', 'figma', 'manual'] as const
export type SourceType = (typeof SOURCE_TYPES)[number]

/** The sources that deliver by webhook (the inbox, the webhook routes). */
export const WEBHOOK_SOURCE_TYPES = ['slack', 'figma'] as const satisfies readonly SourceType[]
export type WebhookSourceType = (typeof WEBHOOK_SOURCE_TYPES)[number]

export const STAGES = [
  'ingestion',
  'config_loading',
  'thread_building',
  'ai_analysis',
  'task_creation',
  'notification',
] as const
export type StageName = (typeof STAGES)[number]

export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export const DISCUSSION_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const
export type DiscussionStatus = (typeof DISCUSSION_STATUSES)[number]

/** A stage row: `retrying` means a transient error scheduled another attempt (job.runAt). */
export const STAGE_STATUSES = ['pending', 'running', 'retrying', 'completed', 'failed'] as const
export type StageStatus = (typeof STAGE_STATUSES)[number]

/** A task row is an intent until its page exists in the sink (`created`). */
export const TASK_STATUSES = ['pending', 'created', 'failed'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const
export type TaskPriority = (typeof TASK_PRIORITIES)[number]

/** owner: everything; member: reads and acts on the work (retry, discard…); viewer: reads only. */
export const TEAM_ROLES = ['owner', 'member', 'viewer'] as const
export type TeamRole = (typeof TEAM_ROLES)[number]

/** Where the people Discubot has seen come from (a pasted conversation has no user ids). */
export const PEOPLE_SOURCES = ['slack', 'figma'] as const
export type PeopleSource = (typeof PEOPLE_SOURCES)[number]

/**
 * How a source user got their Notion person: the same e-mail (automatic), an owner's choice on the
 * People page or a CSV import, or `cleared` — an owner said "nobody", which automatic matching respects.
 */
export const NOTION_MATCHES = ['email', 'manual', 'import', 'cleared'] as const
export type NotionMatch = (typeof NOTION_MATCHES)[number]

/** What a sign-in limit counts by: the e-mail typed (known or not) or the client's address. */
export const LOGIN_LIMIT_SCOPES = ['account', 'address'] as const
export type LoginLimitScope = (typeof LOGIN_LIMIT_SCOPES)[number]

/**
 * What became of a webhook delivery (the inbox row's outcome): a job (`accepted`), a re-delivery of
 * one (`duplicate`), nothing with a reason (`ignored`), no config for its workspace, or a bad
 * signature/passcode (`rejected`, counted per source and hour).
 */
export const WEBHOOK_EVENT_STATUSES = ['accepted', 'duplicate', 'ignored', 'unknown_workspace', 'rejected'] as const
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number]

export const TIMER_KINDS = ['once', 'recurring'] as const
export const TIMER_CALLBACKS = ['cleanup'] as const
export type TimerCallback = (typeof TIMER_CALLBACKS)[number]
export const TIMER_STATUSES = ['active', 'done'] as const

export const AI_PROVIDERS = ['anthropic', 'openai', 'offline'] as const
export type AiProvider = (typeof AI_PROVIDERS)[number]

export const VALIDATION_STATES = ['unknown', 'ok', 'warning', 'error'] as const
export type ValidationState = (typeof VALIDATION_STATES)[number]

/** Where a Figma webhook listens (Webhooks V2 `context`): every file of a team, of a project, or one file. */
export const FIGMA_WEBHOOK_CONTEXTS = ['team', 'project', 'file'] as const
export type FigmaWebhookContext = (typeof FIGMA_WEBHOOK_CONTEXTS)[number]

/** Services a team owner connects through an OAuth install (the state rows name it). */
export const OAUTH_PROVIDERS = ['slack'] as const
export type OauthProvider = (typeof OAUTH_PROVIDERS)[number]

/**
 * The outbox: side effects on the outside world that a state change asks for, delivered later by
 * a leased worker. `reactions` is the wanted state of the reactions on a mentioning message,
 * `failure_note` the one reply a failed job chain leaves, `alert` a team alert before it is sent
 * to the team's targets, `alert_delivery` that alert on its way to one target.
 */
export const OUTBOX_KINDS = ['reactions', 'failure_note', 'alert', 'alert_delivery'] as const
export type OutboxKind = (typeof OUTBOX_KINDS)[number]
/** `skipped`: nothing to do, on purpose (no target set, a switch off, a source without the feature). */
export const OUTBOX_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

/** Reactions Discubot puts on a mentioning message (Slack names; Figma uses them as `:name:`). */
export const REACTIONS = ['eyes', 'white_check_mark', 'x'] as const
export type Reaction = (typeof REACTIONS)[number]

export const ALERT_TYPES = ['failed_jobs', 'queue_stuck', 'credentials_refused', 'test'] as const
export type AlertType = (typeof ALERT_TYPES)[number]
export const ALERT_TARGETS = ['slack', 'webhook'] as const
export type AlertTarget = (typeof ALERT_TARGETS)[number]
