// A local Slack Web API (facts: ../shared/reference/slack.md §4–7): POST form or JSON and GET
// query args, Bearer (or `token` arg) auth, HTTP 200 with `ok:true|false` bodies. Methods:
// auth.test, conversations.replies (cursor pages), chat.postMessage, chat.getPermalink, users.info
// (slack-install.md §4: the e-mail only with `users:read.email`).
// Point `@slack/web-api` at `${url}/api/`.
import { startHttpStandin, type FaultRule, type HttpStandin, type StandinAnswer, type StandinRequest } from './http-standin'

export interface SlackStandinMessage {
  ts: string
  user?: string
  bot_id?: string
  username?: string
  subtype?: string
  text: string
  thread_ts?: string
  metadata?: { event_type: string, event_payload: Record<string, unknown> }
}

export interface SlackPost {
  /** The workspace whose bot token posted it. */
  teamId: string
  channel: string
  thread_ts?: string
  text: string
  metadata?: SlackStandinMessage['metadata']
  ts: string
}

export interface SlackStandinOptions {
  token?: string
  teamId?: string
  botUserId?: string
  botId?: string
  /** Most messages a conversations.replies page returns, whatever `limit` asks (real apps: 15 or 1000). */
  pageSize?: number
  /** Repeat the parent at the top of every page (Slack may; clients must dedupe by ts). */
  repeatParent?: boolean
}

/** A workspace member as `users.info` describes them. */
export interface SlackStandinUser {
  id: string
  /** The username (`name`); `profile.display_name` is `displayName`. */
  name: string
  realName?: string
  displayName?: string
  email?: string
  isBot?: boolean
  deleted?: boolean
  image72?: string
}

/** One workspace the app is installed in: its bot token answers as its bot user. */
export interface SlackStandinWorkspace {
  teamId: string
  teamName: string
  token: string
  botUserId: string
  botId: string
}

export interface SlackStandinState {
  /** The first workspace's token, team and bot (most tests need one workspace). */
  token: string
  teamId: string
  botUserId: string
  botId: string
  /** Every workspace, the first one included; each token identifies its workspace. */
  workspaces: SlackStandinWorkspace[]
  addWorkspace(workspace?: Partial<SlackStandinWorkspace>): SlackStandinWorkspace
  pageSize: number
  repeatParent: boolean
  /** Members `users.info` knows (every workspace's token sees them all). */
  users: Map<string, SlackStandinUser>
  addUser(user: Partial<SlackStandinUser> & { id: string }): SlackStandinUser
  /** Without `users:read.email` Slack leaves `profile.email` out. */
  emailScope: boolean
  /** Where profile images are served (the stand-in itself, once it listens). */
  avatarBaseUrl: string
  /** channel → thread root ts → messages, parent first. */
  channels: Map<string, Map<string, SlackStandinMessage[]>>
  posts: SlackPost[]
  /** Adds a channel (threads can only live in known channels). */
  addChannel(channel: string): void
  /** A thread of `messages` messages (the parent plus replies) by alternating users. */
  seedThread(channel: string, options?: { messages?: number, rootTs?: string, text?: (index: number) => string, users?: string[] }): { rootTs: string, messages: SlackStandinMessage[] }
  thread(channel: string, rootTs: string): SlackStandinMessage[] | undefined
  nextTs(): string
}

export interface SlackStandin extends HttpStandin {
  state: SlackStandinState
  /** Calls of one method, in order. */
  calls(method: string): StandinRequest[]
}

/** `{ ok:false, error }` with HTTP 200, as Slack answers a platform error. */
export const slackPlatformError = (method: string | RegExp | undefined, error: string, times = 1): FaultRule =>
  ({ kind: 'respond', route: method, status: 200, body: { ok: false, error }, times })

function truthy(value: unknown) {
  return value === true || value === 'true' || value === '1' || value === 1
}

function createState(options: SlackStandinOptions): SlackStandinState {
  let clock = 1_700_000_000
  let seq = 0
  const state: SlackStandinState = {
    token: options.token ?? 'xoxb-standin-token',
    teamId: options.teamId ?? 'T0STANDIN',
    botUserId: options.botUserId ?? 'U0DISCUBOT',
    botId: options.botId ?? 'B0DISCUBOT',
    pageSize: options.pageSize ?? 1000,
    repeatParent: options.repeatParent ?? false,
    channels: new Map(),
    posts: [],
    workspaces: [],
    users: new Map(),
    emailScope: true,
    avatarBaseUrl: 'https://standin.slack.test/avatars',
    addUser(user) {
      const added = { name: user.id.toLowerCase(), ...user }
      state.users.set(user.id, added)
      return added
    },
    addWorkspace(workspace = {}) {
      const n = state.workspaces.length + 1
      const teamId = workspace.teamId ?? `T0WORK${n}`
      const added = { teamId, teamName: workspace.teamName ?? `Workspace ${n}`, token: workspace.token ?? `xoxb-${teamId.toLowerCase()}-token`, botUserId: workspace.botUserId ?? `U0BOT${n}`, botId: workspace.botId ?? `B0BOT${n}` }
      state.workspaces.push(added)
      return added
    },
    addChannel(channel) {
      if (!state.channels.has(channel)) state.channels.set(channel, new Map())
    },
    nextTs() {
      seq += 1
      clock += 1
      return `${clock}.${String(seq).padStart(6, '0')}`
    },
    seedThread(channel, seed = {}) {
      state.addChannel(channel)
      const count = seed.messages ?? 1
      const users = seed.users ?? ['U0ALICE', 'U0BOB', 'U0CAROL']
      const rootTs = seed.rootTs ?? state.nextTs()
      const messages: SlackStandinMessage[] = []
      for (let i = 0; i < count; i++) {
        const ts = i === 0 ? rootTs : state.nextTs()
        messages.push({
          ts,
          user: users[i % users.length],
          text: seed.text?.(i) ?? (i === 0 ? `<@${state.botUserId}> what should we do about checkout?` : `Reply number ${i}`),
          ...(count > 1 ? { thread_ts: rootTs } : {}),
        })
      }
      state.channels.get(channel)!.set(rootTs, messages)
      return { rootTs, messages }
    },
    thread(channel, rootTs) {
      return state.channels.get(channel)?.get(rootTs)
    },
  }
  state.addWorkspace({ teamId: state.teamId, teamName: 'Stand-in', token: state.token, botUserId: state.botUserId, botId: state.botId })
  return state
}

const ok = (body: Record<string, unknown>): StandinAnswer => ({ status: 200, body: { ok: true, ...body } })
const fail = (error: string, extra: Record<string, unknown> = {}): StandinAnswer => ({ status: 200, body: { ok: false, error, ...extra } })

function encodeCursor(rootTs: string, offset: number) {
  return Buffer.from(`next:${rootTs}:${offset}`).toString('base64')
}

function decodeCursor(cursor: string): { rootTs: string, offset: number } | undefined {
  const match = /^next:([\d.]+):(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  return match ? { rootTs: match[1]!, offset: Number(match[2]) } : undefined
}

/** A message as conversations.replies shows it: the parent carries the reply summary. */
function present(message: SlackStandinMessage, thread: SlackStandinMessage[], withMetadata: boolean) {
  const { metadata, ...rest } = message
  const shown: Record<string, unknown> = { type: 'message', ...rest }
  if (message === thread[0] && thread.length > 1) {
    const replies = thread.slice(1)
    Object.assign(shown, {
      reply_count: replies.length,
      reply_users: [...new Set(replies.map(reply => reply.user).filter(Boolean))],
      latest_reply: replies.at(-1)!.ts,
    })
  }
  else if (message !== thread[0]) {
    shown.parent_user_id = thread[0]!.user
  }
  if (withMetadata && metadata) shown.metadata = metadata
  return shown
}

function findThread(state: SlackStandinState, channel: string, ts: string): SlackStandinMessage[] | undefined {
  const threads = state.channels.get(channel)
  if (!threads) return undefined
  return threads.get(ts) ?? [...threads.values()].find(thread => thread.some(message => message.ts === ts))
}

function conversationsReplies(state: SlackStandinState, args: Record<string, unknown>): StandinAnswer {
  const channel = String(args.channel ?? '')
  const ts = String(args.ts ?? '')
  if (!channel || !ts) return fail('invalid_arguments')
  if (!state.channels.has(channel)) return fail('channel_not_found')
  const thread = findThread(state, channel, ts)
  if (!thread) return fail('thread_not_found')
  let offset = 0
  if (args.cursor) {
    const cursor = decodeCursor(String(args.cursor))
    if (!cursor || cursor.rootTs !== thread[0]!.ts) return fail('invalid_cursor')
    offset = cursor.offset
  }
  const limit = Math.max(1, Math.min(Number(args.limit) || 1000, 1000, state.pageSize))
  const slice = thread.slice(offset, offset + limit)
  if (state.repeatParent && offset > 0) slice.unshift(thread[0]!)
  const nextOffset = offset + limit
  const hasMore = nextOffset < thread.length
  const withMetadata = truthy(args.include_all_metadata)
  return ok({
    messages: slice.map(message => present(message, thread, withMetadata)),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? encodeCursor(thread[0]!.ts, nextOffset) : '' },
  })
}

function chatPostMessage(state: SlackStandinState, workspace: SlackStandinWorkspace, args: Record<string, unknown>): StandinAnswer {
  const channel = String(args.channel ?? '')
  if (!channel || !state.channels.has(channel)) return fail('channel_not_found')
  const text = typeof args.text === 'string' ? args.text : ''
  if (!text && !args.blocks) return fail('no_text')
  if (text.length > 40_000) return fail('msg_too_long')
  let metadata: SlackStandinMessage['metadata']
  if (args.metadata !== undefined) {
    try {
      metadata = (typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata) as SlackStandinMessage['metadata']
    }
    catch {
      return fail('invalid_metadata_format')
    }
  }
  const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined
  const ts = state.nextTs()
  const message: SlackStandinMessage = { ts, user: workspace.botUserId, bot_id: workspace.botId, text, ...(threadTs ? { thread_ts: threadTs } : {}), ...(metadata ? { metadata } : {}) }
  const threads = state.channels.get(channel)!
  const thread = threadTs ? findThread(state, channel, threadTs) : undefined
  if (thread) {
    if (thread.length === 1) thread[0]!.thread_ts = thread[0]!.ts
    thread.push(message)
  }
  else {
    threads.set(ts, [message])
  }
  state.posts.push({ teamId: workspace.teamId, channel, thread_ts: threadTs, text, metadata, ts })
  const { metadata: _hidden, ...shown } = message
  return ok({ channel, ts, message: { type: 'message', ...shown } })
}

function usersInfo(state: SlackStandinState, args: Record<string, unknown>): StandinAnswer {
  const id = String(args.user ?? '')
  if (!id) return fail('invalid_arguments')
  const user = state.users.get(id)
  if (!user) return fail('user_not_found')
  const realName = user.realName ?? ''
  return ok({
    user: {
      id: user.id, team_id: state.teamId, name: user.name, deleted: Boolean(user.deleted), real_name: realName, is_bot: Boolean(user.isBot), tz: 'Europe/Amsterdam',
      profile: {
        real_name: realName, real_name_normalized: realName, display_name: user.displayName ?? '', display_name_normalized: user.displayName ?? '',
        ...(user.email && state.emailScope ? { email: user.email } : {}),
        image_48: user.image72 ?? `${state.avatarBaseUrl}/${user.id}.svg`,
        image_72: user.image72 ?? `${state.avatarBaseUrl}/${user.id}.svg`,
      },
    },
  })
}

function handleMethod(state: SlackStandinState, method: string, request: StandinRequest): StandinAnswer {
  const header = String(request.headers.authorization ?? '')
  const token = header.startsWith('Bearer ') ? header.slice(7) : typeof request.args.token === 'string' ? request.args.token : ''
  if (!token) return fail('not_authed')
  const workspace = state.workspaces.find(w => w.token === token)
  if (!workspace) return fail('invalid_auth')
  switch (method) {
    case 'auth.test':
      return ok({ url: 'https://standin.slack.com/', team: workspace.teamName, user: 'discubot', team_id: workspace.teamId, user_id: workspace.botUserId, bot_id: workspace.botId, is_enterprise_install: false })
    case 'conversations.replies':
      return conversationsReplies(state, request.args)
    case 'chat.postMessage':
      return chatPostMessage(state, workspace, request.args)
    case 'users.info':
      return usersInfo(state, request.args)
    case 'chat.getPermalink': {
      const channel = String(request.args.channel ?? '')
      const ts = String(request.args.message_ts ?? '')
      if (!state.channels.has(channel)) return fail('channel_not_found')
      const thread = findThread(state, channel, ts)
      if (!thread) return fail('message_not_found')
      const root = thread[0]!.ts
      const threadQuery = root !== ts ? `?thread_ts=${root}&cid=${channel}` : ''
      return ok({ channel, permalink: `https://standin.slack.com/archives/${channel}/p${ts.replace('.', '')}${threadQuery}` })
    }
    default:
      return fail('unknown_method')
  }
}

/** A profile picture like Slack's CDN serves: the person's initials on a colour of their own. */
function avatar(state: SlackStandinState, id: string): StandinAnswer {
  const user = state.users.get(id)
  const initials = (user?.realName || user?.name || id).split(/\s+/).map(part => part[0]).join('').slice(0, 2).toUpperCase()
  const hue = [...id].reduce((sum, char) => sum + char.charCodeAt(0), 0) * 47 % 360
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="72" height="72"><rect width="72" height="72" fill="hsl(${hue} 55% 45%)"/><text x="36" y="45" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">${initials}</text></svg>`
  return { status: 200, body: svg, headers: { 'Content-Type': 'image/svg+xml' } }
}

export async function startSlackStandin(options: SlackStandinOptions = {}): Promise<SlackStandin> {
  const state = createState(options)
  const standin = await startHttpStandin({
    route(request) {
      const picture = /^\/avatars\/([\w-]+)\.svg$/.exec(request.path)
      if (picture) return { name: 'avatar', handle: () => avatar(state, picture[1]!) }
      const match = /^\/api\/([\w.]+)$/.exec(request.path)
      if (!match) return undefined
      const method = match[1]!
      return { name: method, handle: req => handleMethod(state, method, req) }
    },
    notFound: () => ({ status: 404, body: { ok: false, error: 'unknown_method' } }),
    badRequest: () => fail('invalid_json'),
  })
  state.avatarBaseUrl = `${standin.url}/avatars`
  return {
    ...standin,
    state,
    calls: method => standin.requests.filter(request => request.route === method).map(request => ({ ...request, params: {} })),
  }
}

/** Same as startSlackStandin; the name the brief's callers use. */
export const start = startSlackStandin
