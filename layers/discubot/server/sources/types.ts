// What the pipeline needs from a discussion source (Slack, Figma, a pasted conversation). The
// engine knows only this; a source knows only its protocol (verify, parse, fetch a thread, reply),
// never the database.
import type { SourceConfig } from '../../shared/source-config'
import type { ConfigSecrets, DiscussionInput, ThreadData, ThreadRef } from '../../shared/schemas'
import type { Reaction, SourceType } from '../../shared/domain'
import type { SourceUserProfile } from '../../shared/people'
import type { Settings } from '../utils/settings'

/** Everything an adapter call may use; `signal` aborts the call when the job's lease is lost. */
export interface SourceCallContext {
  config: SourceConfig
  secrets: ConfigSecrets
  settings: Settings
  signal?: AbortSignal
  /** Called as each page of a thread arrives: the stage's live progress. */
  onPage?: (page: number, messagesSoFar: number) => void
}

/** A webhook delivery as the route read it: the raw body (signatures cover bytes) and headers. */
export interface Delivery {
  rawBody: string
  headers: Record<string, string | undefined>
  receivedAt: Date
}

/** What a verified delivery asks of us. */
export type ParsedDelivery
  = | { kind: 'challenge', challenge: string }
    | { kind: 'ping' }
    /** `eventId`: the delivery's own key when it could be read, so its repeats are one inbox row. */
    | { kind: 'ignore', reason: string, eventId?: string }
    | { kind: 'discussion', eventId: string, input: DiscussionInput, redelivery: boolean }

/** What the notification stage says in the thread; each adapter formats it for its source. */
export interface TaskReplyContent {
  kind?: 'tasks'
  /** Identifies the job chain; the adapter embeds it (Slack message metadata, Figma marker text). */
  marker: string
  summary: string
  tasks: { title: string, url: string }[]
}

/** A short note in the thread (a failed job's): one sentence and a link to the job in the admin. */
export interface NoteReplyContent {
  kind: 'note'
  marker: string
  text: string
  link: { url: string, label: string }
  /** The failure it reported is fixed (a retry went through). */
  resolved?: boolean
}

export type ReplyContent = TaskReplyContent | NoteReplyContent

/** `unsupported`: the source does not allow it there (skipped silently). */
export type ReactionOutcome = 'done' | 'unsupported'

export interface ReplyRef {
  id: string
  url?: string
}

/** Who the config's credential is on the source (Slack `auth.test`, Figma `GET /v1/me`). */
export interface SourceIdentity {
  /** Slack workspace (`team_id`); Figma has none. */
  workspaceId?: string
  workspaceName?: string
  /** Our own user on the source: the Slack bot user, the Figma token's account. */
  userId: string
  userName?: string
  /** The token's scopes, when the source tells them (Slack's `x-oauth-scopes` header). */
  scopes?: string[]
}

/** One id's lookup: the profile, or why the id stays an id this time. */
export type SourceUserLookup
  = | { sourceUserId: string, profile: SourceUserProfile }
    /** `lasting`: the source will answer the same until the person changes (not found), so ask again only after the refresh period. */
    | { sourceUserId: string, error: string, lasting: boolean }

export type { SourceUserProfile }

export interface SourceAdapter {
  sourceType: SourceType
  /** Whether the source has a thread to answer in; without one (a pasted conversation) notification skips the reply. */
  replies: boolean
  /** Who the credential is; fails (classified) when the source refuses it. */
  identify(ctx: SourceCallContext): Promise<SourceIdentity>
  /** The whole thread, every page, normalized. */
  fetchThread(ctx: SourceCallContext, ref: ThreadRef): Promise<ThreadData>
  /** Our reply carrying `marker`, if an earlier attempt already posted it (crash after posting). */
  findReply(ctx: SourceCallContext, ref: ThreadRef, marker: string): Promise<ReplyRef | null>
  /** Posts the reply in the thread, tagged with `reply.marker` so `findReply` can find it. */
  postReply(ctx: SourceCallContext, ref: ThreadRef, reply: ReplyContent): Promise<ReplyRef>
  /** Replaces the text of a reply we posted (keeping its marker); absent where the source cannot edit. */
  updateReply?(ctx: SourceCallContext, ref: ThreadRef, replyId: string, reply: ReplyContent): Promise<void>
  /** Puts our `reaction` on the mentioning message; one that is already there counts as done. */
  react?(ctx: SourceCallContext, ref: ThreadRef, reaction: Reaction): Promise<ReactionOutcome>
  /** Takes our `reaction` off the mentioning message; one that is not there counts as done. */
  unreact?(ctx: SourceCallContext, ref: ThreadRef, reaction: Reaction): Promise<ReactionOutcome>
  /**
   * Who these user ids are, for sources that name people by id (Slack). Never throws for one id:
   * each failure is reported, and ids left when the rate limit or `ctx.signal` stops it are too.
   */
  lookupUsers?(ctx: SourceCallContext, ref: ThreadRef, sourceUserIds: string[]): Promise<SourceUserLookup[]>
}
