// Bodies of `POST /api/configs` and `PATCH /api/configs/:id`. Secrets are write-only: a string
// sets one, `null` clears it, an absent or empty field keeps what is stored.
import { z } from 'zod'
import { AI_PROVIDERS, SOURCE_TYPES } from './domain'
import { notionPropertyMapSchema, SECRET_FIELDS } from './schemas'

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional()
const idList = z.array(z.string().trim().min(1).max(200)).max(200)

const secretsInput = z.partialRecord(z.enum(SECRET_FIELDS), z.string().max(4000).nullable())

const configFields = {
  name: z.string().trim().min(1, 'Give the source a name').max(100),
  active: z.boolean(),
  slackWorkspaceId: optionalText(64),
  slackChannelIds: idList.nullable(),
  figmaWebhookId: optionalText(200),
  figmaFileKeys: idList.nullable(),
  triggerKeyword: z.string().trim().min(1).max(100),
  notionDatabaseId: optionalText(200),
  notionPropertyMap: notionPropertyMapSchema.nullable(),
  aiProvider: z.enum(AI_PROVIDERS).nullable(),
  aiModel: optionalText(200),
  aiBaseUrl: z.url().max(2000).nullable().or(z.literal('').transform(() => null)),
  secrets: secretsInput,
}

export const configCreateSchema = z.object({
  sourceType: z.enum(SOURCE_TYPES),
  ...configFields,
}).partial().required({ sourceType: true, name: true })
export type ConfigCreateInput = z.infer<typeof configCreateSchema>

export const configPatchSchema = z.object(configFields).partial()
export type ConfigPatchInput = z.infer<typeof configPatchSchema>
