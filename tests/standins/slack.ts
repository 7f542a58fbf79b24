// A local Slack Web API (facts: ../shared/reference/slack.md §4–7): POST form or JSON and GET
// query args, Bearer (or `token` arg) auth, HTTP 200 with `ok:true|false` bodies. Methods:
// auth.test (with the token's scopes in `x-oauth-scopes`), conversations.replies (cursor pages),
// conversations.history, chat.postMessage, chat.update, reactions.add/remove/get, conversations.info,
// chat.getPermalink, users.info (slack-install.md §4: the e-mail only with `users:read.email`), and the OAuth v2 install
// (../shared/reference/slack-install.md §2): an authorize page at `${url}/oauth/v2/authorize` whose
// Allow/Cancel send the browser back with a code (or `error=access_denied`), and oauth.v2.access.
// Point `@slack/web-api` at `${url}/api/`.
import { randomBytes } from 'node:crypto'
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
  /** Reactions on the message, each with the users who added it. */
  reactions?: { name: string, users: string[] }[]
  edited?: { user: string, ts: string }
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
  /** What the token was granted (auth.test's `x-oauth-scopes`, oauth.v2.access's `scope`); the manifest's list by default. */
  scopes: string[]
}

/** The app's OAuth credentials, as its settings page shows them. */
export interface SlackStandinApp {
  appId: string
  clientId: string
  clientSecret: string
  /** The redirect URLs the app allows (the manifest's `oauth_config.redirect_urls`); empty = any. */
  redirectUrls: string[]
}

/** The manifest's bot scopes: what a workspace's token is granted unless a test says otherwise. */
export const SLACK_STANDIN_SCOPES = ['app_mentions:read', 'channels:history', 'groups:history', 'chat:write', 'users:read', 'users:read.email', 'reactions:write']

export interface SlackStandinState {
  /** The first workspace's token, team and bot (most tests need one workspace). */
  token: string
  teamId: string
  botUserId: string
  botId: string
  /** Every workspace, the first one included; each token identifies its workspace. */
  workspaces: SlackStandinWorkspace[]
  addWorkspace(workspace?: Partial<SlackStandinWorkspace>): SlackStandinWorkspace
  /** The app "Add to Slack" installs; its client id and secret are what oauth.v2.access checks. */
  app: SlackStandinApp
  /** The workspace the person approving an install is signed into (the first one by default). */
  installInto: SlackStandinWorkspace | undefined
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
  /** chat.update calls that changed a message, in order. */
  updates: { channel: string, ts: string, text: string }[]
  /** Channels (by id) our bots have left or were never invited to: posting and reacting there answer `not_in_channel`. */
  outsiders: Set<string>
  /** Adds a channel (threads can only live in known channels); `name` defaults to the id in lower case. */
  addChannel(channel: string, name?: string): void
  channelNames: Map<string, string>
  /** The names of the reactions `user` (default: the first workspace's bot) has on a message, in the order added. */
  reactionsOn(channel: string, ts: string, user?: string): string[]
  /** Every message of a channel's threads, parents included. */
  message(channel: string, ts: string): SlackStandinMessage | undefined
  /** A thread of `messages` messages (the parent plus replies) by alternating users. */
  seedThread(channel: string, options?: { messages?: number, rootTs?: string, text?: (index: number) => string, users?: string[] }): { rootTs: string, messages: SlackStandinMessage[] }
  thread(channel: string, rootTs: string): SlackStandinMessage[] | undefined
  nextTs(): string
}

export interface SlackStandin extends HttpStandin {
  state: SlackStandinState
  /** Calls of one method, in order. */
  calls(method: string): StandinRequest[]
  /** Does what a person does on the authorize page (Allow or Cancel): resolves to where Slack sends the browser back. */
  approve(authorizeUrl: string, decision?: 'allow' | 'cancel'): Promise<string>
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
    updates: [],
    outsiders: new Set(),
    channelNames: new Map(),
    workspaces: [],
    app: { appId: 'A0DISCUBOT', clientId: '3654784371.5301046541201', clientSecret: 'standin-client-secret', redirectUrls: [] },
    installInto: undefined,
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
      const added = { teamId, teamName: workspace.teamName ?? `Workspace ${n}`, token: workspace.token ?? `xoxb-${teamId.toLowerCase()}-token`, botUserId: workspace.botUserId ?? `U0BOT${n}`, botId: workspace.botId ?? `B0BOT${n}`, scopes: workspace.scopes ?? [...SLACK_STANDIN_SCOPES] }
      state.workspaces.push(added)
      return added
    },
    addChannel(channel, name) {
      if (!state.channels.has(channel)) state.channels.set(channel, new Map())
      state.channelNames.set(channel, name ?? state.channelNames.get(channel) ?? channel.toLowerCase())
    },
    reactionsOn(channel, ts, user = state.botUserId) {
      return (state.message(channel, ts)?.reactions ?? []).filter(reaction => reaction.users.includes(user)).map(reaction => reaction.name)
    },
    message(channel, ts) {
      return findThread(state, channel, ts)?.find(message => message.ts === ts)
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
  state.installInto = state.addWorkspace({ teamId: state.teamId, teamName: 'Stand-in', token: state.token, botUserId: state.botUserId, botId: state.botId })
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

function parseMetadata(value: unknown): SlackStandinMessage['metadata'] | 'invalid' {
  if (value === undefined) return undefined
  try {
    return (typeof value === 'string' ? JSON.parse(value) : value) as SlackStandinMessage['metadata']
  }
  catch {
    return 'invalid'
  }
}

function chatPostMessage(state: SlackStandinState, workspace: SlackStandinWorkspace, args: Record<string, unknown>): StandinAnswer {
  const channel = String(args.channel ?? '')
  if (!channel || !state.channels.has(channel)) return fail('channel_not_found')
  if (state.outsiders.has(channel)) return fail('not_in_channel')
  const text = typeof args.text === 'string' ? args.text : ''
  if (!text && !args.blocks) return fail('no_text')
  if (text.length > 40_000) return fail('msg_too_long')
  const metadata = parseMetadata(args.metadata)
  if (metadata === 'invalid') return fail('invalid_metadata_format')
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

function conversationsHistory(state: SlackStandinState, workspace: SlackStandinWorkspace, args: Record<string, unknown>): StandinAnswer {
  const channel = String(args.channel ?? '')
  if (!channel || !state.channels.has(channel)) return fail('channel_not_found')
  if (state.outsiders.has(channel)) return fail('not_in_channel')
  const roots = [...state.channels.get(channel)!.values()].map(thread => thread[0]!).sort((a, b) => b.ts.localeCompare(a.ts))
  const limit = Math.max(1, Math.min(Number(args.limit) || 100, 1000))
  return ok({ messages: roots.slice(0, limit).map(({ metadata: _hidden, ...message }) => ({ type: 'message', ...message })), has_more: roots.length > limit, response_metadata: { next_cursor: '' } })
}

/** chat.update (slack-install.md §4): only our own message; text replaced, metadata too when sent. */
function chatUpdate(state: SlackStandinState, workspace: SlackStandinWorkspace, args: Record<string, unknown>): StandinAnswer {
  const channel = String(args.channel ?? '')
  const ts = String(args.ts ?? '')
  if (!channel || !state.channels.has(channel)) return fail('channel_not_found')
  const message = state.message(channel, ts)
  if (!message) return fail('message_not_found')
  if (message.bot_id !== workspace.botId) return fail('cant_update_message')
  const text = typeof args.text === 'string' ? args.text : ''
  if (!text && !args.blocks) return fail('no_text')
  if (text.length > 4000) return fail('msg_too_long')
  const metadata = parseMetadata(args.metadata)
  if (metadata === 'invalid') return fail('invalid_metadata_format')
  message.text = text
  if (metadata) message.metadata = metadata
  message.edited = { user: workspace.botUserId, ts: state.nextTs() }
  state.updates.push({ channel, ts, text })
  return ok({ channel, ts, text })
}

const REACTION_NAME = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/

/** reactions.add / reactions.remove on a message (slack-install.md §4), by the calling workspace's bot. */
function react(state: SlackStandinState, workspace: SlackStandinWorkspace, args: Record<string, unknown>, add: boolean): StandinAnswer {
  const channel = String(args.channel ?? '')
  const ts = String(args.timestamp ?? '')
  const name = String(args.name ?? '')
  if (!channel || !ts || !name) return fail('invalid_arguments')
  if (!state.channels.has(channel)) return fail('channel_not_found')
  if (add && state.outsiders.has(channel)) return fail('not_in_channel')
  const message = state.message(channel, ts)
  if (!message) return fail('message_not_found')
  if (!REACTION_NAME.test(name)) return fail('invalid_name')
  const reactions = message.reactions ??= []
  const existing = reactions.find(reaction => reaction.name === name)
  const mine = existing?.users.includes(workspace.botUserId) ?? false
  if (add) {
    if (mine) return fail('already_reacted')
    if (existing) existing.users.push(workspace.botUserId)
    else reactions.push({ name, users: [workspace.botUserId] })
    return ok({})
  }
  if (!mine) return fail('no_reaction')
  existing!.users = existing!.users.filter(user => user !== workspace.botUserId)
  if (existing!.users.length === 0) reactions.splice(reactions.indexOf(existing!), 1)
  return ok({})
}

function reactionsGet(state: SlackStandinState, args: Record<string, unknown>): StandinAnswer {
  const channel = String(args.channel ?? '')
  if (!state.channels.has(channel)) return fail('channel_not_found')
  const message = state.message(channel, String(args.timestamp ?? ''))
  if (!message) return fail('message_not_found')
  const reactions = (message.reactions ?? []).map(reaction => ({ name: reaction.name, users: reaction.users, count: reaction.users.length }))
  return ok({ type: 'message', channel, message: { type: 'message', ts: message.ts, text: message.text, ...(reactions.length ? { reactions } : {}) } })
}

function conversationsInfo(state: SlackStandinState, args: Record<string, unknown>): StandinAnswer {
  const channel = String(args.channel ?? '')
  if (!state.channels.has(channel)) return fail('channel_not_found')
  const name = state.channelNames.get(channel) ?? channel.toLowerCase()
  return ok({ channel: { id: channel, name, is_channel: true, is_private: false, is_archived: false, is_member: !state.outsiders.has(channel) } })
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

function handleMethod(state: SlackStandinState, method: string, request: StandinRequest, oauth: OAuthStandin): StandinAnswer {
  if (method === 'oauth.v2.access') return oauth.access(request)
  const header = String(request.headers.authorization ?? '')
  const token = header.startsWith('Bearer ') ? header.slice(7) : typeof request.args.token === 'string' ? request.args.token : ''
  if (!token) return fail('not_authed')
  const workspace = state.workspaces.find(w => w.token === token)
  if (!workspace) return fail('invalid_auth')
  switch (method) {
    case 'auth.test':
      return { ...ok({ url: 'https://standin.slack.com/', team: workspace.teamName, user: 'discubot', team_id: workspace.teamId, user_id: workspace.botUserId, bot_id: workspace.botId, is_enterprise_install: false }), headers: { 'x-oauth-scopes': workspace.scopes.join(',') } }
    case 'conversations.history':
      return conversationsHistory(state, workspace, request.args)
    case 'conversations.replies':
      return conversationsReplies(state, request.args)
    case 'chat.postMessage':
      return chatPostMessage(state, workspace, request.args)
    case 'chat.update':
      return chatUpdate(state, workspace, request.args)
    case 'reactions.add':
      return react(state, workspace, request.args, true)
    case 'reactions.remove':
      return react(state, workspace, request.args, false)
    case 'reactions.get':
      return reactionsGet(state, request.args)
    case 'conversations.info':
      return conversationsInfo(state, request.args)
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

/** A pending authorization: what the authorize page was asked, waiting for Allow or Cancel. */
interface AuthorizeRequest {
  redirectUri: string
  state: string
  workspace: SlackStandinWorkspace
}

interface OAuthStandin {
  authorize(request: Omit<StandinRequest, 'params'>): StandinAnswer
  decide(request: Omit<StandinRequest, 'params'>): StandinAnswer
  access(request: StandinRequest): StandinAnswer
}

const html = (status: number, body: string): StandinAnswer => ({ status, body: `<!doctype html><html><head><meta charset="utf-8"><title>Slack (stand-in)</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">${body}</body></html>`, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
const redirect = (location: string): StandinAnswer => ({ status: 302, body: '', headers: { Location: location } })
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** The install flow: authorize page → Allow/Cancel → redirect with code → oauth.v2.access (codes single-use). */
function oauthStandin(state: SlackStandinState): OAuthStandin {
  const pending = new Map<string, AuthorizeRequest>()
  const codes = new Map<string, { redirectUri: string, workspace: SlackStandinWorkspace, used: boolean }>()
  let seq = 0
  const back = (redirectUri: string, params: Record<string, string>) => {
    const url = new URL(redirectUri)
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    return redirect(url.toString())
  }
  return {
    authorize(request) {
      const { client_id: clientId, scope, redirect_uri: redirectUri, state: echo } = request.query
      if (clientId !== state.app.clientId) return html(400, '<h1>Invalid client_id parameter</h1>')
      if (!scope) return html(400, '<h1>Invalid scope: no scopes requested</h1>')
      if (!redirectUri || (state.app.redirectUrls.length > 0 && !state.app.redirectUrls.includes(redirectUri))) return html(400, '<h1>redirect_uri did not match any configured URIs</h1>')
      const workspace = state.installInto ?? state.workspaces[0]!
      seq += 1
      const id = `req${seq}`
      pending.set(id, { redirectUri, state: echo ?? '', workspace })
      const scopes = scope.split(',').map(s => `<li>${escapeHtml(s)}</li>`).join('')
      return html(200, `<h1>Discubot is requesting permission to access the ${escapeHtml(workspace.teamName)} Slack workspace</h1><ul>${scopes}</ul>
<p><a id="allow" href="/oauth/v2/authorize/decide?request=${id}&amp;decision=allow">Allow</a> · <a id="cancel" href="/oauth/v2/authorize/decide?request=${id}&amp;decision=cancel">Cancel</a></p>`)
    },
    decide(request) {
      const asked = pending.get(request.query.request ?? '')
      if (!asked) return html(400, '<h1>This authorization request has expired</h1>')
      pending.delete(request.query.request!)
      if (request.query.decision !== 'allow') return back(asked.redirectUri, { error: 'access_denied', state: asked.state })
      seq += 1
      // Random like Slack's: a test can look for it in logs and answers.
      const code = `${seq}.${randomBytes(12).toString('hex')}`
      codes.set(code, { redirectUri: asked.redirectUri, workspace: asked.workspace, used: false })
      return back(asked.redirectUri, { code, state: asked.state })
    },
    access(request) {
      // Slack prefers HTTP Basic for the client credentials; the SDK sends them as form fields.
      const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1]
      const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : []
      const clientId = String(request.args.client_id ?? basicId ?? '')
      const clientSecret = String(request.args.client_secret ?? basicSecret ?? '')
      if (clientId !== state.app.clientId) return fail('invalid_client_id')
      if (clientSecret !== state.app.clientSecret) return fail('bad_client_secret')
      const issued = codes.get(String(request.args.code ?? ''))
      if (!issued || issued.used) return fail('invalid_code')
      if (String(request.args.redirect_uri ?? '') !== issued.redirectUri) return fail('bad_redirect_uri')
      issued.used = true
      const { workspace } = issued
      return ok({
        access_token: workspace.token,
        token_type: 'bot',
        scope: workspace.scopes.join(','),
        bot_user_id: workspace.botUserId,
        app_id: state.app.appId,
        team: { id: workspace.teamId, name: workspace.teamName },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: 'U0INSTALLER' },
      })
    },
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
  const oauth = oauthStandin(state)
  const standin = await startHttpStandin({
    route(request) {
      if (request.method === 'GET' && request.path === '/oauth/v2/authorize') return { name: 'oauth/v2/authorize', handle: () => oauth.authorize(request) }
      if (request.method === 'GET' && request.path === '/oauth/v2/authorize/decide') return { name: 'oauth/v2/authorize/decide', handle: () => oauth.decide(request) }
      const picture = /^\/avatars\/([\w-]+)\.svg$/.exec(request.path)
      if (picture) return { name: 'avatar', handle: () => avatar(state, picture[1]!) }
      const match = /^\/api\/([\w.]+)$/.exec(request.path)
      if (!match) return undefined
      const method = match[1]!
      return { name: method, handle: req => handleMethod(state, method, req, oauth) }
    },
    notFound: () => ({ status: 404, body: { ok: false, error: 'unknown_method' } }),
    badRequest: () => fail('invalid_json'),
  })
  state.avatarBaseUrl = `${standin.url}/avatars`
  return {
    ...standin,
    state,
    calls: method => standin.requests.filter(request => request.route === method).map(request => ({ ...request, params: {} })),
    async approve(authorizeUrl, decision = 'allow') {
      const page = await fetch(authorizeUrl)
      const text = await page.text()
      const link = new RegExp(`id="${decision}" href="([^"]+)"`).exec(text)?.[1]
      if (page.status !== 200 || !link) throw new Error(`the authorize page answered ${page.status}: ${text.slice(0, 300)}`)
      const decided = await fetch(new URL(link.replaceAll('&amp;', '&'), standin.url), { redirect: 'manual' })
      const location = decided.headers.get('location')
      if (decided.status !== 302 || !location) throw new Error(`the decision answered ${decided.status}`)
      return location
    },
  }
}

/** Same as startSlackStandin; the name the brief's callers use. */
export const start = startSlackStandin
