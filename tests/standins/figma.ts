// A local Figma REST API (facts: ../shared/reference/figma.md §1, §5–7, figma-admin.md §5): X-Figma-Token
// auth, GET/POST /v1/files/:key/comments, comment reactions (POST/DELETE/GET), GET /v1/me, and
// Figma's error bodies (400 `message`, 403/404 `err`). Point NUXT_FIGMA_API_URL at `url`.
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
}

export interface FigmaStandin extends HttpStandin {
  state: FigmaStandinState
}

const figmaError = (status: number, err: string): StandinAnswer => ({ status, body: { status, err } })

function createState(options: FigmaStandinOptions): FigmaStandinState {
  let seq = 1000
  let clock = Date.parse('2026-11-23T10:00:00Z')
  const state: FigmaStandinState = {
    token: options.token ?? 'figd_standin_token',
    me: { id: '900001', handle: 'Discubot', img_url: 'https://standin.figma.test/discubot.png', email: 'bot@discubot.test', ...options.me },
    files: new Map(),
    posts: [],
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

const figmaBadRequest = (message: string): StandinAnswer => ({ status: 400, body: { status: 400, error: true, message } })
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
  if (!EMOJI.test(emoji)) return figmaBadRequest('emoji must be a shortcode such as :eyes:')
  const mine = comment.reactions.findIndex(r => r.emoji === emoji && r.user.id === state.me.id)
  if (request.method === 'POST') {
    if (isReply) return figmaBadRequest('Reactions can only be added to root comments')
    if (mine >= 0) return figmaBadRequest('Reaction already exists')
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
