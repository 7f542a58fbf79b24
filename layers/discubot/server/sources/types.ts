// What the pipeline needs from a discussion source (Slack, Figma). The engine knows only this;
// a source knows only its protocol (verify, parse, fetch a thread, reply), never the database.
import type { SourceConfig } from '../../shared/source-config'
import type { ConfigSecrets, DiscussionInput, ThreadData, ThreadRef } from '../../shared/schemas'
import type { SourceType } from '../../shared/domain'
import type { SourceUserProfile } from '../../shared/people'
import type { Settings } from '../utils/settings'

/** Everything an adapter call may use; `signal` aborts the call when the job's lease is lost. */
export interface SourceCallContext {
  config: SourceConfig
  secrets: ConfigSecrets
  settings: Settings
  signal?: AbortSignal
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
    | { kind: 'ignore', reason: string }
    | { kind: 'discussion', eventId: string, input: DiscussionInput, redelivery: boolean }

/** What the notification stage says in the thread; each adapter formats it for its source. */
export interface ReplyContent {
  /** Identifies the job chain; the adapter embeds it (Slack message metadata, Figma marker text). */
  marker: string
  summary: string
  tasks: { title: string, url: string }[]
}

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
}

/** One id's lookup: the profile, or why the id stays an id this time. */
export type SourceUserLookup
  = | { sourceUserId: string, profile: SourceUserProfile }
    | { sourceUserId: string, error: string }

export type { SourceUserProfile }

export interface SourceAdapter {
  sourceType: SourceType
  /** Who the credential is; fails (classified) when the source refuses it. */
  identify(ctx: SourceCallContext): Promise<SourceIdentity>
  /** The whole thread, every page, normalized. */
  fetchThread(ctx: SourceCallContext, ref: ThreadRef): Promise<ThreadData>
  /** Our reply carrying `marker`, if an earlier attempt already posted it (crash after posting). */
  findReply(ctx: SourceCallContext, ref: ThreadRef, marker: string): Promise<ReplyRef | null>
  /** Posts the reply in the thread, tagged with `reply.marker` so `findReply` can find it. */
  postReply(ctx: SourceCallContext, ref: ThreadRef, reply: ReplyContent): Promise<ReplyRef>
  /**
   * Who these user ids are, for sources that name people by id (Slack). Never throws for one id:
   * each failure is reported, and ids left when the rate limit or `ctx.signal` stops it are too.
   */
  lookupUsers?(ctx: SourceCallContext, ref: ThreadRef, sourceUserIds: string[]): Promise<SourceUserLookup[]>
}
