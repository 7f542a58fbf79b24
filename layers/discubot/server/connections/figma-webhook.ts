// "Connect webhook" on a Figma config: Discubot creates the FILE_COMMENT webhook itself, with a
// passcode it keeps encrypted, and can show, check and delete it. The passcode is stored before
// Figma is asked, so the PING that follows the create (and the deliveries of a webhook whose
// create answer was lost) verify at once; a second try adopts such a webhook instead of making
// another one.
import { randomBytes } from 'node:crypto'
import { createError } from 'h3'
import { consola } from 'consola'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { attachFigmaWebhook, detachFigmaWebhook, ensureDiscubotConfigSecret, getDiscubotConfigsByIds, readConfigSecrets } from '../../collections/configs/server/database/queries'
import { sourceEndpoints } from '../../shared/endpoints'
import type { FigmaWebhookStatus } from '../../shared/api'
import type { FigmaWebhookConnectInput } from '../../shared/figma-webhook-input'
import { createFigmaWebhook, deleteFigmaWebhook, getFigmaWebhook, listFigmaWebhookDeliveries, listFigmaWebhooks, type FigmaWebhook } from '../sources/figma/webhooks'
import type { FigmaCallContext } from '../sources/figma/api'
import { messageOf, PermanentError, TransientError } from '../utils/errors'
import { useSettings } from '../utils/settings'

const log = consola.withTag('figma-webhook')

const SHOWN_DELIVERIES = 10

/** Our description carries the config id: how a later try recognises the webhook an unanswered create made. */
const descriptionOf = (config: Pick<DiscubotConfig, 'id' | 'name'>) => `Discubot: ${config.name.slice(0, 80)} (${config.id})`

function callContext(config: DiscubotConfig): FigmaCallContext & { passcode?: string } {
  const secrets = readConfigSecrets(config)
  return { settings: useSettings(), secrets, passcode: secrets.passcode }
}

/** Figma's refusals are the request's problem (422); its outages are retryable (503). */
function answerOf(error: unknown): never {
  if (error instanceof PermanentError) throw createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message: error.message })
  if (error instanceof TransientError) throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: `${error.message}; try again shortly` })
  throw error
}

async function figmaConfig(teamId: string, id: string): Promise<DiscubotConfig | undefined> {
  const [config] = await getDiscubotConfigsByIds(teamId, [id])
  return config
}

function requireFigmaToken(config: DiscubotConfig) {
  if (config.sourceType !== 'figma') throw createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message: 'Only a Figma source has a Figma webhook' })
  if (!readConfigSecrets(config).figmaToken) throw createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message: 'Set this source\'s Figma access token first: Discubot creates the webhook with it' })
}

const noWebhook = (): FigmaWebhookStatus => ({ webhook: null, status: null, endpoint: null, deliveries: [], problem: null })

/** The webhook as Discubot stored it and as Figma sees it now (status, last deliveries); Figma's silence is a `problem`, not an error. */
export async function describeFigmaWebhook(teamId: string, id: string): Promise<FigmaWebhookStatus | undefined> {
  const config = await figmaConfig(teamId, id)
  if (!config) return undefined
  if (!config.figmaWebhookId) return noWebhook()
  const webhookId = config.figmaWebhookId
  const stored = { id: webhookId, context: config.figmaWebhookContext, contextId: config.figmaWebhookContextId }
  const ctx = callContext(config)
  const [webhook, deliveries] = await Promise.allSettled([getFigmaWebhook(ctx, webhookId), listFigmaWebhookDeliveries(ctx, webhookId, ctx.passcode)])
  const found = webhook.status === 'fulfilled' ? webhook.value : undefined
  const problem = webhook.status === 'rejected'
    ? messageOf(webhook.reason)
    : found === null ? `Figma has no webhook ${webhookId} any more (deleted in Figma?): disconnect it and connect again.` : null
  return {
    webhook: stored,
    status: found?.status ?? null,
    endpoint: found?.endpoint ?? null,
    deliveries: deliveries.status === 'fulfilled'
      ? deliveries.value.slice(0, SHOWN_DELIVERIES).map(({ passcodeMatches: _compared, ...shown }) => shown)
      : [],
    problem,
  }
}

/** An earlier try's webhook for this config (same endpoint, our description), if its create was answered too late. */
async function findOurs(ctx: FigmaCallContext, config: DiscubotConfig, input: FigmaWebhookConnectInput, endpoint: string): Promise<FigmaWebhook | undefined> {
  const webhooks = await listFigmaWebhooks(ctx, input.context, input.contextId)
  return webhooks.find(webhook => webhook.endpoint === endpoint && webhook.event_type === 'FILE_COMMENT' && webhook.description === descriptionOf(config))
}

export async function connectFigmaWebhook(teamId: string, id: string, input: FigmaWebhookConnectInput, userId: string): Promise<FigmaWebhookStatus | undefined> {
  let config = await figmaConfig(teamId, id)
  if (!config) return undefined
  requireFigmaToken(config)
  if (config.figmaWebhookId) throw createError({ statusCode: 409, statusMessage: 'Conflict', message: `This source already has Figma webhook ${config.figmaWebhookId}: disconnect it first` })
  // A passcode already set (a webhook made by hand) is kept, so that webhook keeps verifying too;
  // two racing connects agree on one, so whichever webhook stays matches it.
  config = await ensureDiscubotConfigSecret(teamId, id, 'passcode', () => randomBytes(24).toString('base64url'), userId) ?? config
  const ctx = callContext(config)
  const endpoint = sourceEndpoints(useSettings().publicBaseUrl).figmaWebhook
  let webhook: FigmaWebhook
  try {
    webhook = await findOurs(ctx, config, input, endpoint)
      ?? await createFigmaWebhook(ctx, { ...input, endpoint, passcode: ctx.passcode!, description: descriptionOf(config) })
  }
  catch (error) {
    answerOf(error)
  }
  const attached = await attachFigmaWebhook(teamId, id, { id: webhook.id, ...input }, userId)
  if (!attached) {
    // Another "Connect" won the race: ours would deliver for nothing.
    await deleteFigmaWebhook(ctx, webhook.id).catch(error => log.warn(`config ${id}: could not delete surplus webhook ${webhook.id}: ${messageOf(error)}`))
    throw createError({ statusCode: 409, statusMessage: 'Conflict', message: 'Another connect of this source finished first' })
  }
  log.info(`config ${id}: Figma webhook ${webhook.id} connected on ${input.context} ${input.contextId}`)
  return describeFigmaWebhook(teamId, id)
}

/** Deletes the webhook at Figma (one already gone counts as deleted) and forgets it; no webhook → nothing to do. */
export async function disconnectFigmaWebhook(teamId: string, id: string, userId: string): Promise<FigmaWebhookStatus | undefined> {
  const config = await figmaConfig(teamId, id)
  if (!config) return undefined
  if (!config.figmaWebhookId) return noWebhook()
  requireFigmaToken(config)
  await deleteFigmaWebhook(callContext(config), config.figmaWebhookId).catch(answerOf)
  await detachFigmaWebhook(teamId, id, config.figmaWebhookId, userId)
  log.info(`config ${id}: Figma webhook ${config.figmaWebhookId} deleted`)
  return noWebhook()
}
