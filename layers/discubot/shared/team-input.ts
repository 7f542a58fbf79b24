// Bodies and params of the teammates routes (`/api/team/…`) and the People page (`/api/people…`).
import { z } from 'zod'
import { TEAM_ROLES } from './domain'

const email = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address').max(320))

export const inviteSchema = z.object({
  email,
  role: z.enum(TEAM_ROLES, 'Choose owner, member or viewer'),
})
export type InviteInput = z.infer<typeof inviteSchema>

export const memberRoleSchema = z.object({ role: z.enum(TEAM_ROLES, 'Choose owner, member or viewer') })

export const userIdParamSchema = z.object({ userId: z.string().min(1).max(64) })

/** `notionUserId: null` clears the person: that source user's tasks get no Notion assignee. */
export const personPatchSchema = z.object({
  notionUserId: z.string().trim().min(1).max(64).nullable(),
})
export type PersonPatch = z.infer<typeof personPatchSchema>

/** A CSV `source_user,notion_email`: a source user id or e-mail, then their Notion person's e-mail (empty = nobody). */
export const MAX_IMPORT_BYTES = 256 * 1024
export const peopleImportSchema = z.object({
  csv: z.string().max(MAX_IMPORT_BYTES, `Keep the CSV under ${MAX_IMPORT_BYTES / 1024} KB`),
})
