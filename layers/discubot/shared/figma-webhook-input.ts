// Body of `POST /api/configs/:id/figma/webhook`: where the webhook listens. People copy ids out of
// Figma URLs, so the URL itself is accepted too and the id read from it.
import { z } from 'zod'
import { FIGMA_WEBHOOK_CONTEXTS, type FigmaWebhookContext } from './domain'

/** Where each id is found, said the way the form and a 400 say it. */
export const FIGMA_CONTEXT_HINTS: Record<FigmaWebhookContext, string> = {
  team: 'A team id is a number: open the team in Figma, its URL reads figma.com/files/team/<team id>/…',
  project: 'A project id is a number: open the project in Figma, its URL reads figma.com/files/project/<project id>/…',
  file: 'A file key is letters and digits: the file\'s URL reads figma.com/design/<file key>/… (or /file/<file key>/…)',
}

const SHAPES: Record<FigmaWebhookContext, RegExp> = {
  team: /^\d{1,40}$/,
  project: /^\d{1,40}$/,
  file: /^[A-Za-z0-9]{6,128}$/,
}

/** Where the id sits in a figma.com URL path (an organisation id may come first for teams and projects). */
const IN_URL: Record<FigmaWebhookContext, RegExp> = {
  team: /^\/files\/(?:\d+\/)?team\/([^/]+)/,
  project: /^\/files\/(?:\d+\/)?project\/([^/]+)/,
  file: /^\/(?:file|design|board|proto|slides)\/([^/]+)/,
}

/** The id as Figma's API wants it, from the id itself or a figma.com URL; null when it has the wrong shape. */
export function figmaContextId(context: FigmaWebhookContext, input: string): string | null {
  const value = input.trim()
  let id = value
  if (URL.canParse(value)) {
    const url = new URL(value)
    if (!/(^|\.)figma\.com$/i.test(url.hostname)) return null
    id = IN_URL[context].exec(url.pathname)?.[1] ?? ''
  }
  return SHAPES[context].test(id) ? id : null
}

export const figmaWebhookConnectSchema = z.object({
  context: z.enum(FIGMA_WEBHOOK_CONTEXTS),
  contextId: z.string().trim().min(1, 'Enter the id (or paste the Figma URL)').max(2000),
}).transform((input, ctx) => {
  const contextId = figmaContextId(input.context, input.contextId)
  if (contextId) return { context: input.context, contextId }
  ctx.addIssue({ code: 'custom', path: ['contextId'], message: `Not a Figma ${input.context} ${input.context === 'file' ? 'key' : 'id'}. ${FIGMA_CONTEXT_HINTS[input.context]}` })
  return z.NEVER
})
export type FigmaWebhookConnectInput = z.output<typeof figmaWebhookConnectSchema>
