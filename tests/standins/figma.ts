// A local Figma REST API (facts: ../shared/reference/figma.md §1, §5–7, figma-admin.md §2–3, §5):
// X-Figma-Token auth, GET/POST /v1/files/:key/comments, comment reactions (POST/DELETE/GET), GET
// /v1/me, Webhooks V2 (create — which PINGs the endpoint at once —, get, list by context, delete,
// requests) with Figma's per-context limits, and Figma's error bodies (400 `message`, 403/404 `err`).
// It also delivers events to a webhook's endpoint, with its passcode, recording each as Figma's
// `requests` log does. Point NUXT_FIGMA_API_URL at `url`.
// The reference leaves a second add, deleting an absent reaction and reacting to a reply
// unverified; this stand-in answers 400, 404 and 400 (replies: GET 404), the strict reading.
import { startHttpStandin, type HttpStandin, type StandinAnswer, type StandinRequest, type StandinRoute } from './http-standin'

export interface FigmaStandinUser {
  id: string
  handle: string
  img_url: string
}

export interface FigmaStandinComment {
  id: string
  file_key: string
  parent_id: string
  user: FigmaStandinUser
  created_at: string
  resolved_at: string | null
  message: string
  order_id: string | null
  client_meta: { x: number, y: number } | null
  reactions: { user: FigmaStandinUser, emoji: string, created_at: string }[]
}

/** A webhook as the stand-in keeps it (`WebhookV2` plus its delivery log). */
export interface FigmaStandinWebhook {
  id: string
  event_type: string
  team_id: string
  context: 'TEAM' | 'PROJECT' | 'FILE'
  context_id: string
  plan_api_id: string
  status: 'ACTIVE' | 'PAUSED'
  client_id: null
  passcode: string
  endpoint: string
  description: string | null
  requests: FigmaStandinDelivery[]
}

/** One delivery, shaped like `GET /v2/webhooks/:id/requests` rows. */
export interface FigmaStandinDelivery {
  webhook_id: string
  request_info: { id: string, endpoint: string, payload: Record<string, unknown>, sent_at: string }
  response_info: { status: string, received_at: string } | null
  error_msg: string | null
}

export interface FigmaStandinOptions {
  token?: string
  me?: Partial<FigmaStandinUser> & { email?: string }
}

export interface FigmaStandinState {
  token: string
  /** The emojis our user has on a comment, in the order added. */
  reactionsOn(fileKey: string, commentId: string): string[]
  me: FigmaStandinUser & { email: string }
  files: Map<string, { name: string, comments: FigmaStandinComment[] }>
  /** Comments created through the API (our replies), in order. */
  posts: FigmaStandinComment[]
  addFile(key: string, name?: string): void
  addComment(fileKey: string, comment: { message: string, parentId?: string, user?: Partial<FigmaStandinUser>, id?: string }): FigmaStandinComment
  webhooks: Map<string, FigmaStandinWebhook>
  /** Posts `payload` (with the webhook's passcode, id and a timestamp) to the webhook's endpoint and logs it. */
  deliver(webhookId: string, payload: Record<string, unknown>): Promise<FigmaStandinDelivery>
  /** Delivers right after the current answer has gone out (as Figma's PING follows a create); `settled()` waits for it. */
  deliverSoon(webhookId: string, payload: Record<string, unknown>): void
  /** Resolves once every delivery started so far (PINGs included) has its answer. */
  settled(): Promise<void>
}

export interface FigmaStandin extends HttpStandin {
  state: FigmaStandinState
}

const figmaError = (status: number, err: string): StandinAnswer => ({ status, body: { status, err } })

function createState(options: FigmaStandinOptions): FigmaStandinState {
  const inFlight = new Set<Promise<void>>()
  let seq = 1000
  let clock = Date.parse('2026-11-23T10:00:00Z')
  const state: FigmaStandinState = {
    token: options.token ?? 'figd_standin_token',
    me: { id: '900001', handle: 'Discubot', img_url: 'https://standin.figma.test/discubot.png', email: 'bot@discubot.test', ...options.me },
    files: new Map(),
    posts: [],
    webhooks: new Map(),
    async deliver(webhookId, payload) {
      const webhook = state.webhooks.get(webhookId)
      if (!webhook) throw new Error(`no webhook ${webhookId}`)
      const body = { ...payload, passcode: webhook.passcode, timestamp: new Date().toISOString(), webhook_id: webhook.id }
      const delivery: FigmaStandinDelivery = {
        webhook_id: webhook.id,
        request_info: { id: String(webhook.requests.length + 1), endpoint: webhook.endpoint, payload: body, sent_at: new Date().toISOString() },
        response_info: null,
        error_msg: null,
      }
      webhook.requests.push(delivery)
      const sent = fetch(webhook.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
        .then((response) => {
          delivery.response_info = { status: String(response.status), received_at: new Date().toISOString() }
          if (!response.ok) delivery.error_msg = `HTTP ${response.status}`
        })
        .catch((error: Error) => {
          delivery.error_msg = error.message
        })
      inFlight.add(sent)
      await sent.finally(() => inFlight.delete(sent))
      return delivery
    },
    deliverSoon(webhookId, payload) {
      const later = new Promise(resolve => setImmediate(resolve))
        .then(() => state.deliver(webhookId, payload))
        .then(() => {}, () => {})
      inFlight.add(later)
      void later.finally(() => inFlight.delete(later))
    },
    async settled() {
      await Promise.all([...inFlight])
    },
    reactionsOn(fileKey, commentId) {
      const comment = state.files.get(fileKey)?.comments.find(c => c.id === commentId)
      return (comment?.reactions ?? []).filter(r => r.user.id === state.me.id).map(r => r.emoji)
    },
    addFile(key, name = `File ${key}`) {
      if (!state.files.has(key)) state.files.set(key, { name, comments: [] })
    },
    addComment(fileKey, input) {
      state.addFile(fileKey)
      const file = state.files.get(fileKey)!
      seq += 1
      clock += 1000
      const user = { id: '799', handle: 'Lee', img_url: 'https://standin.figma.test/lee.png', ...input.user }
      const isRoot = !input.parentId
      const comment: FigmaStandinComment = {
        id: input.id ?? String(seq),
        file_key: fileKey,
        parent_id: input.parentId ?? '',
        user,
        created_at: new Date(clock).toISOString(),
        resolved_at: null,
        message: input.message,
        order_id: isRoot ? String(file.comments.filter(c => !c.parent_id).length + 1) : null,
        client_meta: isRoot ? { x: 10, y: 20 } : null,
        reactions: [],
      }
      file.comments.push(comment)
      return comment
    },
  }
  return state
}

function postComment(state: FigmaStandinState, fileKey: string, request: StandinRequest): StandinAnswer {
  const file = state.files.get(fileKey)
  if (!file) return figmaError(404, 'Not found')
  const message = request.args.message
  if (typeof message !== 'string' || !message.trim()) return { status: 400, body: { status: 400, error: true, message: 'message is required' } }
  const parentId = request.args.comment_id === undefined ? undefined : String(request.args.comment_id)
  if (parentId !== undefined) {
    const parent = file.comments.find(comment => comment.id === parentId)
    if (!parent) return { status: 404, body: { status: 404, err: 'Comment not found' } }
    if (parent.parent_id) return { status: 400, body: { status: 400, error: true, message: 'comment_id must be a root comment: replies cannot be replied to' } }
  }
  const created = state.addComment(fileKey, { message, parentId, user: state.me })
  state.posts.push(created)
  return { status: 200, body: created }
}

/** Figma's per-context caps (figma-admin.md §1). */
const WEBHOOK_LIMITS = { TEAM: 20, PROJECT: 5, FILE: 3 } as const
const badRequest = (message: string): StandinAnswer => ({ status: 400, body: { error: true, status: 400, message } })
let webhookSeq = 500

/** A webhook as GET shows it: no passcode, no log. */
function shown(webhook: FigmaStandinWebhook, passcode = '') {
  const { requests: _log, ...rest } = webhook
  return { ...rest, passcode }
}

function createWebhook(state: FigmaStandinState, args: Record<string, unknown>): StandinAnswer {
  const context = String(args.context ?? '').toUpperCase()
  if (args.event_type !== 'FILE_COMMENT' && args.event_type !== 'PING') return badRequest('Invalid event_type')
  if (context !== 'TEAM' && context !== 'PROJECT' && context !== 'FILE') return badRequest('context must be one of team, project, file')
  for (const field of ['context_id', 'endpoint', 'passcode']) {
    if (typeof args[field] !== 'string' || !args[field]) return badRequest(`${field} is required`)
  }
  if (String(args.endpoint).length > 2048) return badRequest('endpoint is too long')
  if (String(args.passcode).length > 100) return badRequest('passcode is too long')
  if (typeof args.description === 'string' && args.description.length > 150) return badRequest('description is too long')
  const contextId = String(args.context_id)
  const siblings = [...state.webhooks.values()].filter(webhook => webhook.context === context && webhook.context_id === contextId)
  if (siblings.length >= WEBHOOK_LIMITS[context]) return badRequest(`This ${context.toLowerCase()} has reached the limit of ${WEBHOOK_LIMITS[context]} webhooks`)
  webhookSeq += 1
  const webhook: FigmaStandinWebhook = {
    id: String(webhookSeq),
    event_type: String(args.event_type),
    team_id: context === 'TEAM' ? contextId : '',
    context,
    context_id: contextId,
    plan_api_id: 'organization-standin',
    status: args.status === 'PAUSED' ? 'PAUSED' : 'ACTIVE',
    client_id: null,
    passcode: String(args.passcode),
    endpoint: String(args.endpoint),
    description: typeof args.description === 'string' ? args.description : null,
    requests: [],
  }
  state.webhooks.set(webhook.id, webhook)
  // Figma PINGs a new webhook at once (unless it is created paused): after this answer is sent.
  if (webhook.status === 'ACTIVE') state.deliverSoon(webhook.id, { event_type: 'PING' })
  return { status: 200, body: shown(webhook, webhook.passcode) }
}

function webhookRoute(state: FigmaStandinState, request: Omit<StandinRequest, 'params'>, authorized: (handle: (req: StandinRequest) => StandinAnswer) => (req: StandinRequest) => StandinAnswer): StandinRoute | undefined {
  if (request.path === '/v2/webhooks') {
    if (request.method === 'POST') return { name: 'POST /v2/webhooks', handle: authorized(req => createWebhook(state, req.args)) }
    if (request.method === 'GET') {
      return {
        name: 'GET /v2/webhooks',
        handle: authorized((req) => {
          const context = String(req.query.context ?? '').toUpperCase()
          if (!context || !req.query.context_id) return badRequest('context and context_id are required')
          return { status: 200, body: { webhooks: [...state.webhooks.values()].filter(w => w.context === context && w.context_id === req.query.context_id).map(w => shown(w)) } }
        }),
      }
    }
    return undefined
  }
  const match = /^\/v2\/webhooks\/([^/]+)(\/requests)?$/.exec(request.path)
  if (!match) return undefined
  const id = decodeURIComponent(match[1]!)
  const notFound = { status: 404, body: { error: true, status: 404, message: 'Webhook not found' } }
  const withWebhook = (name: string, handle: (webhook: FigmaStandinWebhook) => StandinAnswer): StandinRoute => ({
    name,
    params: { id },
    handle: authorized(() => {
      const webhook = state.webhooks.get(id)
      return webhook ? handle(webhook) : notFound
    }),
  })
  if (match[2]) return request.method === 'GET' ? withWebhook('GET /v2/webhooks/:id/requests', webhook => ({ status: 200, body: { requests: webhook.requests } })) : undefined
  if (request.method === 'GET') return withWebhook('GET /v2/webhooks/:id', webhook => ({ status: 200, body: shown(webhook) }))
  if (request.method === 'DELETE') {
    return withWebhook('DELETE /v2/webhooks/:id', (webhook) => {
      state.webhooks.delete(webhook.id)
      return { status: 200, body: shown(webhook) }
    })
  }
  return undefined
}

const EMOJI = /^:[a-z0-9_+-]+:(:skin-tone-[2-6]:)?$/

/** POST/DELETE/GET `/v1/files/:key/comments/:id/reactions` (figma-admin.md §5), as the token's user. */
function reactions(state: FigmaStandinState, fileKey: string, commentId: string, request: StandinRequest): StandinAnswer {
  const comment = state.files.get(fileKey)?.comments.find(c => c.id === commentId)
  if (!comment) return figmaError(404, 'Comment not found')
  const isReply = Boolean(comment.parent_id)
  if (request.method === 'GET') {
    if (isReply) return figmaError(404, 'Not found')
    return { status: 200, body: { reactions: comment.reactions, pagination: {} } }
  }
  const emoji = String(request.method === 'DELETE' ? request.query.emoji ?? '' : request.args.emoji ?? '')
  if (!EMOJI.test(emoji)) return badRequest('emoji must be a shortcode such as :eyes:')
  const mine = comment.reactions.findIndex(r => r.emoji === emoji && r.user.id === state.me.id)
  if (request.method === 'POST') {
    if (isReply) return badRequest('Reactions can only be added to root comments')
    if (mine >= 0) return badRequest('Reaction already exists')
    comment.reactions.push({ user: { id: state.me.id, handle: state.me.handle, img_url: state.me.img_url }, emoji, created_at: new Date().toISOString() })
    return { status: 200, body: { status: 200, error: false } }
  }
  if (mine < 0) return figmaError(404, 'Reaction not found')
  comment.reactions.splice(mine, 1)
  return { status: 200, body: { status: 200, error: false } }
}

function route(state: FigmaStandinState, request: Omit<StandinRequest, 'params'>): StandinRoute | undefined {
  const authorized = (handle: (req: StandinRequest) => StandinAnswer) => (req: StandinRequest) =>
    req.headers['x-figma-token'] === state.token ? handle(req) : figmaError(403, 'Invalid token')
  if (request.method === 'GET' && request.path === '/v1/me') {
    return { name: 'GET /v1/me', handle: authorized(() => ({ status: 200, body: state.me })) }
  }
  if (request.path.startsWith('/v2/webhooks')) return webhookRoute(state, request, authorized)
  const reaction = /^\/v1\/files\/([^/]+)\/comments\/([^/]+)\/reactions$/.exec(request.path)
  if (reaction && ['GET', 'POST', 'DELETE'].includes(request.method)) {
    const [key, id] = [decodeURIComponent(reaction[1]!), decodeURIComponent(reaction[2]!)]
    return { name: `${request.method} /v1/files/:key/comments/:id/reactions`, params: { key, id }, handle: authorized(req => reactions(state, key, id, req)) }
  }
  const match = /^\/v1\/files\/([^/]+)\/comments$/.exec(request.path)
  if (!match) return undefined
  const fileKey = decodeURIComponent(match[1]!)
  if (request.method === 'GET') {
    return {
      name: 'GET /v1/files/:key/comments',
      params: { key: fileKey },
      handle: authorized(() => {
        const file = state.files.get(fileKey)
        return file ? { status: 200, body: { comments: file.comments } } : figmaError(404, 'Not found')
      }),
    }
  }
  if (request.method === 'POST') {
    return { name: 'POST /v1/files/:key/comments', params: { key: fileKey }, handle: authorized(req => postComment(state, fileKey, req)) }
  }
  return undefined
}

export async function startFigmaStandin(options: FigmaStandinOptions = {}): Promise<FigmaStandin> {
  const state = createState(options)
  const standin = await startHttpStandin({
    route: request => route(state, request),
    notFound: () => figmaError(404, 'Not found'),
    badRequest: message => ({ status: 400, body: { status: 400, error: true, message } }),
  })
  return { ...standin, state }
}

/** Same as startFigmaStandin; the name the brief's callers use. */
export const start = startFigmaStandin
