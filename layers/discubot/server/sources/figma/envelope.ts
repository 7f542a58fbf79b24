// Figma Webhooks V2 payloads (facts: ../shared/reference/figma.md §3). Loose objects: fields
// seen in real payloads but missing from the spec (parent_id, retries, …) must not cost a delivery.
import { z } from 'zod'

/** Ids come as strings in the spec and as numbers in some examples: accept both, keep strings. */
export const figmaId = z.union([
  // Half a surrogate pair on its own is no character, and `encodeURIComponent` throws on it.
  z.string().min(1).max(200).refine(id => id.isWellFormed(), 'expected well-formed text'),
  z.number().int().nonnegative(),
]).transform(String)

export const figmaBodySchema = z.looseObject({
  event_type: z.string().min(1, 'expected a non-empty string'),
  // Optional here so a missing passcode is a 401 (not authenticated), like a wrong one.
  passcode: z.string().max(1000).optional(),
  webhook_id: figmaId,
  timestamp: z.string().optional(),
})
export type FigmaBody = z.infer<typeof figmaBodySchema>

export const figmaCommentFragmentSchema = z.looseObject({
  text: z.string().optional(),
  mention: figmaId.optional(),
})

export const figmaUserSchema = z.looseObject({
  id: figmaId,
  handle: z.string().max(200).optional(),
})

export const figmaFileCommentSchema = figmaBodySchema.extend({
  event_type: z.literal('FILE_COMMENT'),
  // Figma file (and branch) keys are letters and digits; the key goes into URLs and API paths.
  file_key: z.string().regex(/^[\w-]{1,200}$/, 'expected a Figma file key'),
  file_name: z.string().max(1000).optional(),
  comment_id: figmaId,
  parent_id: z.union([figmaId, z.literal(''), z.null()]).optional(),
  comment: z.array(figmaCommentFragmentSchema).max(10_000),
  mentions: z.array(figmaUserSchema).optional(),
  created_at: z.string().optional(),
  triggered_by: figmaUserSchema,
  retries: z.number().int().nonnegative().optional(),
})
export type FigmaFileComment = z.infer<typeof figmaFileCommentSchema>
