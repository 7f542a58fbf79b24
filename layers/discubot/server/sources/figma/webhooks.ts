// Figma Webhooks V2 management (facts: ../shared/reference/figma-admin.md §2–3): create, read,
// list, delete a FILE_COMMENT webhook and read its recent deliveries. Figma's refusals are
// reworded so a person knows what to change (plan, scope, permission, per-context limits).
import { z } from 'zod'
import type { FigmaWebhookContext } from '../../../shared/domain'
import { PermanentError } from '../../utils/errors'
import { figmaRequest, type FigmaCallContext } from './api'
import { figmaId } from './envelope'
import { figmaPasscodeMatches } from './passcode'

/** `WebhookV2`. `context` comes back upper-case; the passcode is echoed only by the create. */
const figmaWebhookSchema = z.looseObject({
  id: figmaId,
  event_type: z.string(),
  status: z.string(),
  context: z.string().nullable().optional(),
  context_id: z.string().nullable().optional(),
  endpoint: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
})
export type FigmaWebhook = Pick<z.infer<typeof figmaWebhookSchema>, 'id' | 'event_type' | 'status' | 'context' | 'context_id' | 'endpoint' | 'description'>

const webhookListSchema = z.looseObject({ webhooks: z.array(figmaWebhookSchema) })

const webhookRequestsSchema = z.looseObject({
  requests: z.array(z.looseObject({
    request_info: z.looseObject({ payload: z.unknown().optional(), sent_at: z.string().nullable().optional() }).nullable().optional(),
    response_info: z.looseObject({ status: z.union([z.number(), z.string()]).nullable().optional() }).nullable().optional(),
    error_msg: z.string().nullable().optional(),
  })),
})

/** One delivery of the last week, without its payload (which carries the passcode). */
export interface FigmaWebhookDelivery {
  sentAt: string | null
  eventType: string | null
  /** Our answer's HTTP status; null when Figma got none. */
  status: number | null
  error: string | null
  /** Whether the payload carried the expected passcode; null when it had none to compare. */
  passcodeMatches: boolean | null
}

const LIMITS = 'Figma allows 3 webhooks per file, 5 per project and 20 per team.'
const ACCESS = 'The token needs the webhooks:write scope (webhooks:read to look), a team webhook needs a team admin and a project or file webhook edit access there, and webhooks need a Professional plan or higher.'

/** Figma's answer in words: what it said, and what usually causes it. */
function explained(what: string, error: unknown): unknown {
  if (!(error instanceof PermanentError)) return error
  const cause = error.message.replace(/^Figma [A-Z]+ \S+ failed: /, '')
  const hint = error.status === 403 ? ACCESS : error.status === 400 ? LIMITS : ''
  return new PermanentError(`Figma refused to ${what} (${cause}).${hint ? ` ${hint}` : ''}`, { service: 'Figma', status: error.status, cause: error })
}

async function explain<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  }
  catch (error) {
    throw explained(what, error)
  }
}

const path = (id: string, rest = '') => `/v2/webhooks/${encodeURIComponent(id)}${rest}`

export interface NewFigmaWebhook {
  context: FigmaWebhookContext
  contextId: string
  endpoint: string
  passcode: string
  description: string
}

/** Creates a FILE_COMMENT webhook; Figma sends a PING to the endpoint right away. */
export function createFigmaWebhook(ctx: FigmaCallContext, webhook: NewFigmaWebhook): Promise<FigmaWebhook> {
  return explain('create the webhook', () => figmaRequest(ctx, 'POST', '/v2/webhooks', figmaWebhookSchema, {
    event_type: 'FILE_COMMENT',
    context: webhook.context,
    context_id: webhook.contextId,
    endpoint: webhook.endpoint,
    passcode: webhook.passcode,
    description: webhook.description,
  }))
}

/** The context's webhooks (to find one an earlier, unanswered create made). */
export async function listFigmaWebhooks(ctx: FigmaCallContext, context: FigmaWebhookContext, contextId: string): Promise<FigmaWebhook[]> {
  const query = new URLSearchParams({ context, context_id: contextId })
  const { webhooks } = await explain('list the webhooks', () => figmaRequest(ctx, 'GET', `/v2/webhooks?${query.toString()}`, webhookListSchema))
  return webhooks
}

const isNotFound = (error: unknown) => error instanceof PermanentError && error.status === 404

/** The webhook, or null when Figma has no such webhook (any more). */
export async function getFigmaWebhook(ctx: FigmaCallContext, id: string): Promise<FigmaWebhook | null> {
  try {
    return await figmaRequest(ctx, 'GET', path(id), figmaWebhookSchema)
  }
  catch (error) {
    if (isNotFound(error)) return null
    throw explained('show the webhook', error)
  }
}

/** Deletes the webhook; one that is already gone counts as deleted. */
export async function deleteFigmaWebhook(ctx: FigmaCallContext, id: string): Promise<void> {
  try {
    await figmaRequest(ctx, 'DELETE', path(id), z.unknown())
  }
  catch (error) {
    if (!isNotFound(error)) throw explained('delete the webhook', error)
  }
}

function passcodeOf(payload: unknown): string | undefined {
  const value = payload && typeof payload === 'object' ? (payload as { passcode?: unknown }).passcode : undefined
  return typeof value === 'string' && value ? value : undefined
}

function eventTypeOf(payload: unknown): string | null {
  const value = payload && typeof payload === 'object' ? (payload as { event_type?: unknown }).event_type : undefined
  return typeof value === 'string' ? value : null
}

/** The webhook's deliveries of the last week, newest first, each compared with `passcode`. */
export async function listFigmaWebhookDeliveries(ctx: FigmaCallContext, id: string, passcode: string | undefined): Promise<FigmaWebhookDelivery[]> {
  const { requests } = await explain('list the webhook\'s deliveries', () => figmaRequest(ctx, 'GET', path(id, '/requests'), webhookRequestsSchema))
  const deliveries = requests.map((request): FigmaWebhookDelivery => {
    const sent = passcodeOf(request.request_info?.payload)
    const status = Number(request.response_info?.status)
    return {
      sentAt: request.request_info?.sent_at ?? null,
      eventType: eventTypeOf(request.request_info?.payload),
      status: Number.isFinite(status) && status > 0 ? status : null,
      error: request.error_msg || null,
      passcodeMatches: sent === undefined ? null : figmaPasscodeMatches(sent, passcode),
    }
  })
  return deliveries.sort((a, b) => (b.sentAt ?? '').localeCompare(a.sentAt ?? ''))
}
