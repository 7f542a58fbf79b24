// Route params and bodies of the admin APIs (lists have theirs in list-query.ts).
import { z } from 'zod'
import { jobListQuerySchema } from './list-query'

export const idParamSchema = z.object({ id: z.string().min(1).max(64) })

export const MAX_BULK_RETRY = 100

/** What a retry must do again instead of reusing what is stored. */
export const retryOptionsShape = {
  /** Fetch the thread from the source again. */
  refetchThread: z.boolean().optional(),
  /** Run the analysis again. */
  reanalyze: z.boolean().optional(),
}
/** The body of a single retry: optional, options only. */
export const retryOptionsSchema = z.strictObject(retryOptionsShape).default({})
export type RetryOptions = z.infer<typeof retryOptionsSchema>

export const bulkRetrySchema = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_RETRY),
  ...retryOptionsShape,
})
export type BulkRetryInput = z.infer<typeof bulkRetrySchema>

export const bulkDiscardSchema = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_RETRY),
})

/** The Jobs list filters; only failed jobs match, so `status` is not one of them. */
export const jobFilterSchema = jobListQuerySchema.pick({ stage: true, sourceType: true, discussionId: true, q: true, from: true, to: true })
export type JobFilter = z.infer<typeof jobFilterSchema>

export const retryMatchingSchema = jobFilterSchema.extend({
  /** Count what would be retried, retry nothing. */
  dryRun: z.boolean().default(false),
})
export type RetryMatchingInput = z.infer<typeof retryMatchingSchema>

export const MAX_RETENTION_DAYS = 3650

export const settingsPatchSchema = z.object({
  jobRetentionDays: z.number().int().min(1).max(MAX_RETENTION_DAYS),
})
export type SettingsPatch = z.infer<typeof settingsPatchSchema>
