// Figma REST (no official SDK): fetch with the personal access token, a timeout on every call and
// the job's abort signal, and failures sorted into transient and permanent (../shared/reference/figma.md §7).
import { z } from 'zod'
import type { Settings } from '../../utils/settings'
import type { ConfigSecrets } from '../../../shared/schemas'
import { isNetworkError, isTransientStatus, messageOf, parseRetryAfter, PermanentError, TransientError } from '../../utils/errors'
import { reportedCall } from '../../utils/external-requests'
import { truncate } from '../text'
import { figmaId } from './envelope'

const SERVICE = 'Figma'

export interface FigmaCallContext {
  settings: Pick<Settings, 'figmaApiUrl' | 'httpTimeoutMs'>
  secrets: Pick<ConfigSecrets, 'figmaToken'>
  signal?: AbortSignal
}

export const figmaCommentSchema = z.looseObject({
  id: figmaId,
  parent_id: z.union([figmaId, z.literal(''), z.null()]).optional(),
  user: z.looseObject({ id: figmaId, handle: z.string().optional(), img_url: z.string().optional() }).optional(),
  created_at: z.string(),
  message: z.string().default(''),
})
export type FigmaComment = z.infer<typeof figmaCommentSchema>

const commentListSchema = z.looseObject({ comments: z.array(figmaCommentSchema) })

/** Figma's error bodies say `message` (400) or `err` (403, 404, 429, 500). */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { message?: unknown, err?: unknown }
    const detail = typeof body.message === 'string' ? body.message : typeof body.err === 'string' ? body.err : ''
    if (detail) return truncate(detail, 300)
  }
  catch {
    // not JSON: fall back to the status text
  }
  return response.statusText || 'no details'
}

export function figmaHttpError(label: string, status: number, detail: string, headers?: Headers): TransientError | PermanentError {
  const message = `${SERVICE} ${label} failed: ${status} ${detail}`
  return isTransientStatus(status)
    ? new TransientError(message, { service: SERVICE, status, retryAfterMs: parseRetryAfter(headers) })
    : new PermanentError(message, { service: SERVICE, status })
}

function apiUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`
}

export function figmaRequest<S extends z.ZodType>(ctx: FigmaCallContext, method: 'GET' | 'POST' | 'DELETE', path: string, schema: S, body?: unknown): Promise<z.output<S>> {
  return reportedCall('figma', () => requestOnce(ctx, method, path, schema, body))
}

async function requestOnce<S extends z.ZodType>(ctx: FigmaCallContext, method: 'GET' | 'POST' | 'DELETE', path: string, schema: S, body?: unknown): Promise<z.output<S>> {
  const label = `${method} ${path}`
  const token = ctx.secrets.figmaToken
  if (!token) throw new PermanentError(`${SERVICE} ${label} failed: no Figma token is configured`, { service: SERVICE })
  const timeout = AbortSignal.timeout(ctx.settings.httpTimeoutMs)
  const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout
  let response: Response
  let text: string
  try {
    response = await fetch(apiUrl(ctx.settings.figmaApiUrl, path), {
      method,
      headers: {
        'X-Figma-Token': token,
        'Accept': 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    })
    if (!response.ok) throw figmaHttpError(label, response.status, await errorDetail(response), response.headers)
    text = await response.text()
  }
  catch (error) {
    if (error instanceof TransientError || error instanceof PermanentError) throw error
    const what = timeout.aborted ? `timed out after ${ctx.settings.httpTimeoutMs} ms` : isNetworkError(error) ? `network error: ${messageOf(error)}` : messageOf(error)
    throw new TransientError(`${SERVICE} ${label} failed: ${what}`, { service: SERVICE, cause: error })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  }
  catch {
    throw new TransientError(`${SERVICE} ${label} failed: the answer is not JSON`, { service: SERVICE, status: response.status })
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new TransientError(`${SERVICE} ${label} failed: unexpected answer (${parsed.error.issues[0]?.message ?? 'invalid'})`, { service: SERVICE, status: response.status })
  return parsed.data
}

function commentsPath(fileKey: string) {
  return `/v1/files/${encodeURIComponent(fileKey)}/comments`
}

export async function listFigmaComments(ctx: FigmaCallContext, fileKey: string): Promise<FigmaComment[]> {
  const { comments } = await figmaRequest(ctx, 'GET', commentsPath(fileKey), commentListSchema)
  return comments
}

export async function postFigmaComment(ctx: FigmaCallContext, fileKey: string, message: string, rootCommentId: string): Promise<FigmaComment> {
  return figmaRequest(ctx, 'POST', commentsPath(fileKey), figmaCommentSchema, { message, comment_id: rootCommentId })
}

export const figmaMeSchema = z.looseObject({ id: figmaId, handle: z.string().optional() })

/** Our own Figma user: its comments (our replies) never trigger. */
export async function getFigmaMe(ctx: FigmaCallContext) {
  return figmaRequest(ctx, 'GET', '/v1/me', figmaMeSchema)
}
