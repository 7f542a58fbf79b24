// Bodies of `POST /api/configs` and `PATCH /api/configs/:id`. Secrets are write-only: a string
// sets one, `null` clears it, an absent or empty field keeps what is stored.
import { z } from 'zod'
import { AI_PROVIDERS, SOURCE_TYPES } from './domain'
import { notionPropertyMapSchema, SECRET_FIELDS } from './schemas'

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional()
const idList = z.array(z.string().trim().min(1).max(200)).max(200)

const secretsInput = z.partialRecord(z.enum(SECRET_FIELDS), z.string().max(4000).nullable())

/**
 * A Notion database (or data source) as people copy it: the 32-hex id, dashed or not, or the URL
 * of the database on notion.so / notion.site. Anything else is not a Notion id.
 */
export function isNotionDatabaseRef(value: string): boolean {
  const compact = value.replace(/-/g, '')
  if (/^[0-9a-f]{32}$/i.test(compact)) return true
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  return url.protocol === 'https:' && /(^|\.)notion\.(so|site)$/i.test(url.hostname) && /[0-9a-f]{32}/i.test(url.pathname.replace(/-/g, ''))
}

const notionDatabaseRef = z.string().trim().max(500)
  .refine(value => value === '' || isNotionDatabaseRef(value), 'Enter the Notion database id (32 hex characters) or its notion.so URL')
  .transform(value => value || null)

const httpUrl = z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' }).max(2000)

const configFields = {
  name: z.string().trim().min(1, 'Give the source a name').max(100),
  active: z.boolean(),
  failureNotes: z.boolean(),
  slackWorkspaceId: optionalText(64),
  slackChannelIds: idList.nullable(),
  figmaWebhookId: optionalText(200),
  figmaFileKeys: idList.nullable(),
  triggerKeyword: z.string().trim().min(1).max(100),
  notionDatabaseId: notionDatabaseRef.nullable().optional(),
  notionPropertyMap: notionPropertyMapSchema.nullable(),
  aiProvider: z.enum(AI_PROVIDERS).nullable(),
  aiModel: optionalText(200),
  aiBaseUrl: httpUrl.nullable().or(z.literal('').transform(() => null)),
  secrets: secretsInput,
}

export const configCreateSchema = z.object({
  sourceType: z.enum(SOURCE_TYPES),
  ...configFields,
}).partial().required({ sourceType: true, name: true })
export type ConfigCreateInput = z.infer<typeof configCreateSchema>

export const configPatchSchema = z.object(configFields).partial()
export type ConfigPatchInput = z.infer<typeof configPatchSchema>

/** `GET /api/configs/:id/notion/databases?q=`: a part of the database's name. */
export const notionSearchQuerySchema = z.object({ q: z.string().trim().max(200).default('') })

/** Which database a mapping or the marker column is about (id or URL); absent → the config's own. */
export const notionDatabaseSchema = z.object({ database: notionDatabaseRef.nullable().optional() })
