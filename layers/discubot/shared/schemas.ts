// zod schemas of everything Discubot stores as JSON or receives from a source. The JSON columns
// validate with these on every write (see server/database/json-column.ts).
import { z } from 'zod'
import { SOURCE_TYPES, TASK_PRIORITIES } from './domain'

/** Text bound for a TEXT column: libsql reads a TEXT value back only up to its first NUL, so drop NULs. */
const plainText = (max: number) => z.string().max(max).transform(value => value.replaceAll('\u0000', ''))

export const threadMessageSchema = z.object({
  id: z.string().min(1),
  author: z.string(),
  authorId: z.string().optional(),
  text: z.string(),
  timestamp: z.string(),
  permalink: z.string().optional(),
  isBot: z.boolean().optional(),
})
export type ThreadMessage = z.infer<typeof threadMessageSchema>

/** Someone who wrote in or was mentioned in a thread, as people read them (never a bare id when the source said who). */
export const threadPersonSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  avatarUrl: z.string().optional(),
  isBot: z.boolean().optional(),
})
export type ThreadPerson = z.infer<typeof threadPersonSchema>

export const threadDataSchema = z.object({
  messages: z.array(threadMessageSchema),
  fetchedAt: z.string(),
  /** How many pages the source answered (Slack cursor pages); 1 for Figma. */
  pages: z.number().int().nonnegative().optional(),
  /** Authors and mentioned users by source user id, resolved when the thread was built. */
  people: z.array(threadPersonSchema).optional(),
})
export type ThreadData = z.infer<typeof threadDataSchema>

export const slackThreadRefSchema = z.object({
  kind: z.literal('slack'),
  workspaceId: z.string().min(1),
  channel: z.string().min(1),
  threadTs: z.string().min(1),
  messageTs: z.string().min(1),
  userId: z.string().optional(),
})
export const figmaThreadRefSchema = z.object({
  kind: z.literal('figma'),
  fileKey: z.string().min(1),
  fileName: z.string().optional(),
  rootCommentId: z.string().min(1),
  commentId: z.string().min(1),
  authorId: z.string().optional(),
})
/** A pasted conversation: at most this many messages, and characters in all (the API takes 1 MB). */
export const MAX_PASTED_MESSAGES = 5000
export const MAX_PASTED_CHARS = 1_000_000

export const pastedMessageSchema = z.object({
  author: plainText(200),
  text: plainText(MAX_PASTED_CHARS),
})
export type PastedMessage = z.infer<typeof pastedMessageSchema>

/**
 * A conversation pasted in the admin has no thread to fetch: the ref carries the messages
 * themselves (the job's payload, the discussion's ref), bounded like the API body.
 */
export const manualThreadRefSchema = z.object({
  kind: z.literal('manual'),
  /** A paste has no times of its own: every message is dated when it was pasted. */
  pastedAt: z.string(),
  messages: z.array(pastedMessageSchema).min(1).max(MAX_PASTED_MESSAGES)
    .refine(messages => messages.reduce((n, m) => n + m.text.length, 0) <= MAX_PASTED_CHARS, `A pasted conversation holds at most ${MAX_PASTED_CHARS} characters`),
})
export const threadRefSchema = z.discriminatedUnion('kind', [slackThreadRefSchema, figmaThreadRefSchema, manualThreadRefSchema])
export type ThreadRef = z.infer<typeof threadRefSchema>
export type SlackThreadRef = z.infer<typeof slackThreadRefSchema>
export type FigmaThreadRef = z.infer<typeof figmaThreadRefSchema>
export type ManualThreadRef = z.infer<typeof manualThreadRefSchema>

/** What a webhook hands to the pipeline: a normalized discussion, stored as the job's payload. */
export const discussionInputSchema = z.object({
  sourceType: z.enum(SOURCE_TYPES),
  /** Stable id of the thread inside the team, e.g. `T1:C1:1700000000.000100`. */
  sourceThreadId: z.string().min(1).max(500),
  sourceUrl: z.string().max(2000).optional(),
  title: plainText(500),
  content: plainText(40_000),
  authorHandle: plainText(200),
  thread: threadRefSchema,
})
export type DiscussionInput = z.infer<typeof discussionInputSchema>

export const detectedTaskSchema = z.object({
  title: plainText(300).pipe(z.string().min(1)),
  description: plainText(4000),
  priority: z.enum(TASK_PRIORITIES),
  assignee: z.string().max(200).nullable(),
  dueDate: z.string().max(40).nullable().optional(),
})
export type DetectedTask = z.infer<typeof detectedTaskSchema>

export const analysisSchema = z.object({
  summary: plainText(4000),
  actionItems: z.array(z.string().max(1000)).max(100),
  tasks: z.array(detectedTaskSchema).max(50),
})
export type Analysis = z.infer<typeof analysisSchema>

export const stringListSchema = z.array(z.string())

export const jobMetadataSchema = z.looseObject({
  isRetry: z.boolean().optional(),
  retriedBy: z.string().optional(),
  originalDiscussionId: z.string().optional(),
  retryOfJobId: z.string().optional(),
  /** First job of a retry chain: the reply marker, so a retry never repeats its ancestor's reply. */
  rootJobId: z.string().optional(),
  processingTime: z.number().optional(),
  taskIds: z.array(z.string()).optional(),
  webhookEventId: z.string().optional(),
  redeliveries: z.number().int().optional(),
  /** A retry that fetches the thread again / analyses again instead of reusing what is stored. */
  refetchThread: z.boolean().optional(),
  reanalyze: z.boolean().optional(),
})
export type JobMetadata = z.infer<typeof jobMetadataSchema>

/** A stage's checkpoint: any JSON value. */
export const stageOutputSchema = z.json()

export const stageAttemptSchema = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  error: z.string().optional(),
  workerId: z.string().optional(),
})
export const stageAttemptsSchema = z.array(stageAttemptSchema)
export type StageAttempt = z.infer<typeof stageAttemptSchema>

/** A line of a stage's live progress ("fetched page 3 of the thread"), newest last. */
export const stageMessageSchema = z.object({ at: z.string(), text: z.string().max(500) })
export const stageMessagesSchema = z.array(stageMessageSchema)
export type StageMessage = z.infer<typeof stageMessageSchema>

/** Notion column names for each field Discubot writes; unset ones are discovered from the data source. */
export const notionPropertyMapSchema = z.object({
  title: z.string().optional(),
  status: z.string().optional(),
  priority: z.string().optional(),
  assignee: z.string().optional(),
  sourceUrl: z.string().optional(),
  dueDate: z.string().optional(),
  discubotId: z.string().optional(),
})
export type NotionPropertyMap = z.infer<typeof notionPropertyMapSchema>

export const configSecretsSchema = z.object({
  signingSecret: z.string().optional(),
  botToken: z.string().optional(),
  figmaToken: z.string().optional(),
  passcode: z.string().optional(),
  notionToken: z.string().optional(),
  aiApiKey: z.string().optional(),
})
export type ConfigSecrets = z.infer<typeof configSecretsSchema>
export const SECRET_FIELDS = ['signingSecret', 'botToken', 'figmaToken', 'passcode', 'notionToken', 'aiApiKey'] as const
export type SecretField = (typeof SECRET_FIELDS)[number]

export const timerParamsSchema = z.record(z.string(), z.json())
