// What each kind of outbox row carries (collections/outbox): enough to do its side effect later,
// on any instance, without the job that asked for it. Validated when the row is written and again
// when a worker picks it up.
import { z } from 'zod'
import { ALERT_TARGETS, ALERT_TYPES, REACTIONS, SOURCE_TYPES } from './domain'
import { threadRefSchema } from './schemas'

/** Where a thread-side effect lands: the source, its thread (the mentioning message) and the config whose credentials reach it. */
const threadTarget = {
  sourceType: z.enum(SOURCE_TYPES),
  thread: threadRefSchema,
  configId: z.string().nullable(),
}

/** The reactions a mentioning message should carry: the worker makes it so, whatever is there now. */
export const reactionsPayloadSchema = z.object({
  ...threadTarget,
  state: z.enum(['working', 'completed', 'failed']),
})
export type ReactionsPayload = z.infer<typeof reactionsPayloadSchema>
export type ReactionsState = ReactionsPayload['state']

/** The chain's failure note: post it (or bring it up to date), or mark it fixed after a successful retry. */
export const failureNotePayloadSchema = z.object({
  ...threadTarget,
  state: z.enum(['failed', 'fixed']),
  /** `discubot-failure:<rootJobId>`: how the note is found again. */
  marker: z.string(),
  /** The job the note links to. */
  jobId: z.string(),
  /** What went wrong, in plain words (feedback/failure-words.ts). */
  text: z.string().max(1000),
  link: z.string().max(2000),
})
export type FailureNotePayload = z.infer<typeof failureNotePayloadSchema>

export const alertPayloadSchema = z.object({
  type: z.enum(ALERT_TYPES),
  /** failed_jobs: the window the failures are counted in (ISO). */
  since: z.string().optional(),
  until: z.string().optional(),
  /** credentials_refused: the service and the source config whose credentials it refused. */
  service: z.string().max(200).optional(),
  configId: z.string().nullable().optional(),
  configName: z.string().max(200).optional(),
  /** credentials_refused: the service's words. */
  detail: z.string().max(1000).optional(),
  jobId: z.string().optional(),
  /** queue_stuck: since when the oldest due job has been waiting (ISO), and how many wait. */
  waitingSince: z.string().optional(),
  waiting: z.number().int().nonnegative().optional(),
  /** test: who asked for it. */
  requestedBy: z.string().optional(),
})
export type AlertPayload = z.infer<typeof alertPayloadSchema>

/** An alert as it goes to one target: the words and the JSON body, fixed when the alert was sent out. */
export const alertDeliveryPayloadSchema = z.object({
  target: z.enum(ALERT_TARGETS),
  type: z.enum(ALERT_TYPES),
  /** The dedupe key of the alert this delivers (also the webhook's delivery id). */
  alertKey: z.string(),
  /** Slack mrkdwn. */
  text: z.string().max(4000),
  body: z.record(z.string(), z.json()),
})
export type AlertDeliveryPayload = z.infer<typeof alertDeliveryPayloadSchema>

/** The column's own check: a JSON object; each kind's schema above is applied by its builder and its worker. */
export const outboxPayloadSchema = z.record(z.string(), z.json())
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>

/** What a delivery did, for the admin: per reaction, the note's id, an alert's targets or counts. */
export const outboxResultSchema = z.record(z.string(), z.json())
export type OutboxResult = z.infer<typeof outboxResultSchema>

export const reactionNameSchema = z.enum(REACTIONS)
