// A local Notion API, version 2025-09-03 (facts: ../shared/reference/notion.md): databases hold
// data sources, pages are created in a data source and validated against its schema the way Notion
// does (400 validation_error with a message), and the marker query filters pages by a rich_text
// property. The setup side follows ../shared/reference/notion-admin.md: search lists the data
// sources shared with the integration (title match, newest edit first, cursor pages), the users
// list and a data source's schema update answer per the integration's capabilities (403
// restricted_resource without them). Every request must carry `Authorization: Bearer <token>` and
// `Notion-Version`. Point `@notionhq/client` at `baseUrl: <url>` (the SDK adds `/v1/`).
import { randomUUID } from 'node:crypto'
import { slowAnswer, startHttpStandin, type FaultRule, type HttpStandin, type StandinAnswer, type StandinRequest } from './http-standin'

export const ROUTES = {
  database: 'GET /v1/databases/:id',
  dataSource: 'GET /v1/data_sources/:id',
  createPage: 'POST /v1/pages',
  query: 'POST /v1/data_sources/:id/query',
  blockChildren: 'GET /v1/blocks/:id/children',
  users: 'GET /v1/users',
  search: 'POST /v1/search',
  updateDataSource: 'PATCH /v1/data_sources/:id',
} as const

const VERSIONS = ['2022-06-28', '2025-09-03', '2026-03-11']
const TEXT_LIMIT = 2000

export interface PropertySchema {
  id: string
  name: string
  type: string
  options?: { id: string, name: string, color: string }[]
  groups?: { id: string, name: string, color: string, option_ids: string[] }[]
}

export interface NotionStandinDatabase {
  id: string
  title: string
  dataSourceId: string
  properties: Record<string, PropertySchema>
  /** Shared with the integration (••• → Connections): unshared ones are invisible to it. */
  shared: boolean
  lastEditedTime: string
}

/** What the integration may do (its capabilities in Notion's integration settings). */
export interface NotionStandinCapabilities {
  readContent: boolean
  updateContent: boolean
  /** No user information → 403 on the users list; without emails → persons without `email`. */
  userInformation: 'none' | 'without_email' | 'with_email'
}

export interface NotionStandinPage {
  id: string
  url: string
  dataSourceId: string
  databaseId: string
  /** The property values as the client sent them, keyed by column name. */
  properties: Record<string, Record<string, unknown>>
  children: Record<string, unknown>[]
  createdTime: string
}

export interface NotionStandinUser {
  id: string
  name: string
  /** Listed only while the integration may read e-mails (`emailCapability`). */
  email: string
  avatarUrl?: string
  type?: 'person' | 'bot'
}

export interface NotionStandinState {
  token: string
  databases: Map<string, NotionStandinDatabase>
  pages: NotionStandinPage[]
  users: NotionStandinUser[]
  capabilities: NotionStandinCapabilities
  /** A workspace of `count` people ("Person 1"…, person1@…), then `extra` (whom a test looks for). */
  crowd(count: number, ...extra: Omit<NotionStandinUser, 'id'>[]): NotionStandinUser[]
  /** A database with one data source; the stock schema has a "Discubot ID" text column unless `marker: false`. */
  addDatabase(options?: { id?: string, title?: string, marker?: boolean, shared?: boolean, properties?: Record<string, Omit<PropertySchema, 'id' | 'name'>> }): NotionStandinDatabase
  pagesIn(databaseId: string): NotionStandinPage[]
  /** The plain text of a page's title/rich_text property. */
  text(page: NotionStandinPage, property: string): string
}

export interface NotionStandin extends HttpStandin {
  state: NotionStandinState
  calls(route: string): StandinRequest[]
  /** Between tests: no databases, pages, faults or recorded requests, every capability granted (the people stay). */
  reset(): void
}

const option = (name: string, color: string) => ({ id: randomUUID().slice(0, 8), name, color })

/** A typical Notion task database (the "Tasks" template plus a source link and the marker column). */
export function stockTaskSchema(marker = true): Record<string, Omit<PropertySchema, 'id' | 'name'>> {
  const notStarted = option('Not started', 'default')
  const inProgress = option('In progress', 'blue')
  const done = option('Done', 'green')
  return {
    'Task name': { type: 'title' },
    'Status': {
      type: 'status',
      options: [notStarted, inProgress, done],
      groups: [
        { id: 'g-todo', name: 'To-do', color: 'gray', option_ids: [notStarted.id] },
        { id: 'g-progress', name: 'In progress', color: 'blue', option_ids: [inProgress.id] },
        { id: 'g-complete', name: 'Complete', color: 'green', option_ids: [done.id] },
      ],
    },
    'Priority': { type: 'select', options: [option('Low', 'gray'), option('Medium', 'yellow'), option('High', 'red')] },
    'Assignee': { type: 'people' },
    'Due date': { type: 'date' },
    'Source': { type: 'url' },
    'Created': { type: 'created_time' },
    ...(marker ? { 'Discubot ID': { type: 'rich_text' } } : {}),
  }
}

const notionError = (status: number, code: string, message: string, headers?: Record<string, string>): StandinAnswer =>
  ({ status, headers, body: { object: 'error', status, code, message, request_id: randomUUID() } })

/** A fault in Notion's error shape on `route` (a ROUTES value). */
export function notionFault(route: string | RegExp | undefined, status: number, code: string, message: string, options: { headers?: Record<string, string>, times?: number } = {}): FaultRule {
  const answer = notionError(status, code, message, options.headers)
  return { kind: 'respond', route, status, body: answer.body, headers: answer.headers, times: options.times }
}
export const notionRateLimited = (route: string | RegExp | undefined, retryAfterSeconds: number) =>
  notionFault(route, 429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', { headers: { 'Retry-After': String(retryAfterSeconds) } })
export const notionOverloaded = (route: string | RegExp | undefined, retryAfterSeconds = 2) =>
  notionFault(route, 529, 'service_overload', 'The service is overloaded. Please try again later.', { headers: { 'Retry-After': String(retryAfterSeconds) } })
export const notionServerError = (route: string | RegExp | undefined, status = 503) =>
  notionFault(route, status, status === 500 ? 'internal_server_error' : status === 504 ? 'gateway_timeout' : 'service_unavailable', 'Notion is unavailable, please try again later.')
/** The page is created, but the answer comes after the client gave up: an ambiguous write. */
export const createThenTimeout = (delayMs: number) => slowAnswer(ROUTES.createPage, delayMs, { commitFirst: true })

class ValidationError extends Error {}

function plainText(items: unknown): string {
  if (!Array.isArray(items)) return ''
  return items.map(i => (i as { text?: { content?: string } }).text?.content ?? (i as { plain_text?: string }).plain_text ?? '').join('')
}

function checkRichText(path: string, items: unknown) {
  if (!Array.isArray(items)) throw new ValidationError(`${path} should be an array, instead was \`${JSON.stringify(items)}\`.`)
  if (items.length > 100) throw new ValidationError(`${path}.length should be ≤ \`100\`, instead was \`${items.length}\`.`)
  items.forEach((item, i) => {
    const content = (item as { text?: { content?: unknown } }).text?.content
    if (typeof content !== 'string') throw new ValidationError(`${path}[${i}].text.content should be defined, instead was \`undefined\`.`)
    if (content.length > TEXT_LIMIT) throw new ValidationError(`${path}[${i}].text.content.length should be ≤ \`${TEXT_LIMIT}\`, instead was \`${content.length}\`.`)
    const link = (item as { text?: { link?: { url?: string } | null } }).text?.link
    if (link && !/^https?:\/\//.test(link.url ?? '')) throw new ValidationError(`Invalid URL for link in ${path}[${i}].`)
  })
}

/** Checks one property value against its column, as Notion does; select may add an option. */
function checkProperty(state: NotionStandinState, column: PropertySchema, value: Record<string, unknown>) {
  const path = `body.properties.${column.name}`
  const typed = Object.keys(value).filter(k => k !== 'type' && k !== 'id')
  if (typed.length !== 1 || typed[0] !== column.type) throw new ValidationError(`${column.name} is expected to be ${column.type}.`)
  const v = value[column.type]
  switch (column.type) {
    case 'title':
    case 'rich_text':
      return checkRichText(`${path}.${column.type}`, v)
    case 'status': {
      const name = (v as { name?: string } | null)?.name
      if (v !== null && !column.options?.some(o => o.name === name)) throw new ValidationError(`Invalid status option. Status option "${name}" does not exist".`)
      return
    }
    case 'select': {
      const name = (v as { name?: string } | null)?.name
      if (v === null) return
      if (typeof name !== 'string' || !name || name.includes(',')) throw new ValidationError(`${path}.select.name should be a non-empty string without commas.`)
      if (!column.options?.some(o => o.name === name)) column.options = [...column.options ?? [], option(name, 'default')]
      return
    }
    case 'people':
      if (!Array.isArray(v)) throw new ValidationError(`${path}.people should be an array.`)
      for (const [i, person] of (v as Record<string, unknown>[]).entries()) {
        // Only `id` (and `object`) may be sent; bots cannot be assigned (notion-admin.md §4).
        const extra = Object.keys(person).find(key => key !== 'id' && key !== 'object')
        if (extra) throw new ValidationError(`${path}.people[${i}].${extra} should be not present, instead was \`${JSON.stringify(person[extra])}\`.`)
        const user = state.users.find(u => u.id === person.id)
        if (!user) throw new ValidationError(`Could not find user with ID: ${person.id}.`)
        if (user.type === 'bot') throw new ValidationError('User mentions can only be of people.')
      }
      return
    case 'date': {
      const start = (v as { start?: unknown } | null)?.start
      if (v !== null && (typeof start !== 'string' || Number.isNaN(Date.parse(start)))) throw new ValidationError(`${path}.date.start should be a valid ISO 8601 date string, instead was \`${JSON.stringify(start)}\`.`)
      return
    }
    case 'url':
      if (v !== null && (typeof v !== 'string' || v.length > TEXT_LIMIT)) throw new ValidationError(`${path}.url should be a string of at most ${TEXT_LIMIT} characters or \`null\`.`)
      return
    default:
      throw new ValidationError(`${column.name} is a ${column.type} property and cannot be set through the API.`)
  }
}

function checkBlocks(children: unknown) {
  if (children === undefined) return
  if (!Array.isArray(children)) throw new ValidationError('body.children should be an array.')
  if (children.length > 100) throw new ValidationError(`body.children.length should be ≤ \`100\`, instead was \`${children.length}\`.`)
  children.forEach((block, i) => {
    const type = (block as { type?: string }).type
    const content = type ? (block as Record<string, { rich_text?: unknown }>)[type] : undefined
    if (!type || !content) throw new ValidationError(`body.children[${i}] should be a block object.`)
    if (content.rich_text !== undefined) checkRichText(`body.children[${i}].${type}.rich_text`, content.rich_text)
  })
}

function pageObject(page: NotionStandinPage) {
  const properties = Object.fromEntries(Object.entries(page.properties).map(([name, value]) => [name, { id: name, ...value }]))
  return {
    object: 'page', id: page.id, created_time: page.createdTime, last_edited_time: page.createdTime,
    created_by: { object: 'user', id: 'bot' }, last_edited_by: { object: 'user', id: 'bot' },
    parent: { type: 'data_source_id', data_source_id: page.dataSourceId, database_id: page.databaseId },
    in_trash: false, archived: false, is_locked: false, icon: null, cover: null, properties, url: page.url, public_url: null,
  }
}

function createState(token: string): NotionStandinState {
  const state: NotionStandinState = {
    token,
    databases: new Map(),
    pages: [],
    users: [
      { id: randomUUID(), name: 'Lee Park', email: 'lee@acme.test' },
      { id: randomUUID(), name: 'Dana Kim', email: 'dana@acme.test' },
    ],
    capabilities: { readContent: true, updateContent: true, userInformation: 'with_email' },
    crowd(count, ...extra) {
      const people = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), name: `Person ${i + 1}`, email: `person${i + 1}@acme.test` }))
      const added = extra.map(user => ({ id: randomUUID(), ...user }))
      state.users.splice(0, state.users.length, ...people, ...added)
      return added
    },
    addDatabase(options = {}) {
      const schema = options.properties ?? stockTaskSchema(options.marker ?? true)
      const properties = Object.fromEntries(Object.entries(schema).map(([name, column]) => [name, { id: randomUUID().slice(0, 4), name, ...column }]))
      // Newest first in search: each database is "edited" a moment after the previous one.
      const lastEditedTime = new Date(Date.now() + state.databases.size).toISOString()
      const database = { id: options.id ?? randomUUID(), title: options.title ?? 'Tasks', dataSourceId: randomUUID(), properties, shared: options.shared ?? true, lastEditedTime }
      state.databases.set(database.id, database)
      return database
    },
    pagesIn: databaseId => state.pages.filter(p => p.databaseId === databaseId),
    text: (page, property) => plainText(Object.values(page.properties[property] ?? {})[0]),
  }
  return state
}

/** Only what is shared with the integration exists for it (a 404 otherwise, as Notion answers). */
function byDataSource(state: NotionStandinState, id: string) {
  return [...state.databases.values()].find(d => d.dataSourceId === id && d.shared)
}

function richTitle(text: string) {
  return [{ type: 'text', text: { content: text, link: null }, plain_text: text, href: null, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' } }]
}

/** A data source object as `GET /v1/data_sources/:id`, search results and updates answer it. */
function dataSourceObject(database: NotionStandinDatabase) {
  const properties = Object.fromEntries(Object.values(database.properties).map(c => [c.name, { id: c.id, name: c.name, description: null, type: c.type, [c.type]: c.options ? { options: c.options, ...(c.groups ? { groups: c.groups } : {}) } : {} }]))
  return {
    object: 'data_source', id: database.dataSourceId, title: richTitle(database.title), description: [],
    parent: { type: 'database_id', database_id: database.id }, database_parent: { type: 'workspace', workspace: true },
    is_inline: false, in_trash: false, archived: false, created_time: database.lastEditedTime, last_edited_time: database.lastEditedTime,
    created_by: { object: 'user', id: 'bot' }, last_edited_by: { object: 'user', id: 'bot' }, properties,
    icon: null, cover: null, url: `https://www.notion.so/${database.id.replace(/-/g, '')}`, public_url: null,
  }
}

const restricted = () => notionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.')
const cursorOf = (offset: number) => Buffer.from(String(offset)).toString('base64url')
const offsetOf = (cursor: unknown) => cursor ? Number(Buffer.from(String(cursor), 'base64url').toString()) : 0

/** `POST /v1/search` (notion-admin.md §1): shared data sources (or pages) whose title contains `query`. */
function search(state: NotionStandinState, request: StandinRequest): StandinAnswer {
  if (!state.capabilities.readContent) return restricted()
  const { query = '', filter, page_size: pageSize = 100, start_cursor: cursor } = request.args as { query?: string, filter?: { property?: string, value?: string }, page_size?: number, start_cursor?: string }
  if (filter && !['page', 'data_source'].includes(String(filter.value))) return notionError(400, 'validation_error', `body failed validation: body.filter.value should be \`"page"\` or \`"data_source"\`, instead was \`${JSON.stringify(filter.value)}\`.`)
  if (Number(pageSize) > 100) return notionError(400, 'validation_error', `body failed validation: body.page_size should be ≤ \`100\`, instead was \`${pageSize}\`.`)
  const wanted = String(query).toLowerCase()
  const sources = filter?.value === 'page'
    ? []
    : [...state.databases.values()]
        .filter(d => d.shared && d.title.toLowerCase().includes(wanted))
        .sort((a, b) => b.lastEditedTime.localeCompare(a.lastEditedTime))
        .map(dataSourceObject)
  const pages = filter?.value === 'data_source' ? [] : state.pages.filter(p => state.databases.get(p.databaseId)?.shared).map(pageObject)
  const all = [...sources, ...pages]
  const start = offsetOf(cursor)
  const end = start + Math.max(1, Number(pageSize))
  const next = end < all.length ? cursorOf(end) : null
  return { status: 200, body: { object: 'list', results: all.slice(start, end), next_cursor: next, has_more: next !== null, type: 'page_or_data_source', page_or_data_source: {} } }
}

/**
 * `PATCH /v1/data_sources/:id` (notion-admin.md §3): a new name with a type adds a column, an
 * existing one with a type changes it, `{ name }` renames, `null` removes; the title keeps its type.
 */
function updateDataSource(state: NotionStandinState, id: string, request: StandinRequest): StandinAnswer {
  const database = byDataSource(state, id)
  if (!database) return notionError(404, 'object_not_found', `Could not find data_source with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`)
  if (!state.capabilities.updateContent) return restricted()
  const changes = (request.args as { properties?: Record<string, Record<string, unknown> | null> }).properties ?? {}
  const next = new Map(Object.entries(database.properties))
  for (const [key, change] of Object.entries(changes)) {
    const current = next.get(key) ?? [...next.values()].find(c => c.id === key)
    if (change === null) {
      if (current?.type === 'title') return notionError(400, 'validation_error', 'Cannot delete the title property.')
      if (current) next.delete(current.name)
      continue
    }
    const type = Object.keys(change).find(k => k !== 'name' && k !== 'description')
    if (current?.type === 'title' && type && type !== 'title') return notionError(400, 'validation_error', 'Cannot change the type of the title property.')
    if (!current && !type) return notionError(400, 'validation_error', `Could not find property with name or id: ${key}`)
    const name = typeof change.name === 'string' ? change.name : current?.name ?? key
    const column: PropertySchema = { id: current?.id ?? randomUUID().slice(0, 4), name, type: type ?? current!.type, ...(type ? {} : { options: current?.options, groups: current?.groups }) }
    if (current) next.delete(current.name)
    next.set(name, column)
  }
  database.properties = Object.fromEntries(next)
  database.lastEditedTime = new Date().toISOString()
  return { status: 200, body: dataSourceObject(database) }
}

function createPage(state: NotionStandinState, request: StandinRequest): StandinAnswer {
  const body = request.args as { parent?: { data_source_id?: string, database_id?: string }, properties?: Record<string, Record<string, unknown>>, children?: unknown }
  const database = body.parent?.data_source_id ? byDataSource(state, body.parent.data_source_id) : body.parent?.database_id ? state.databases.get(body.parent.database_id) : undefined
  if (!database) return notionError(404, 'object_not_found', `Could not find data_source with ID: ${body.parent?.data_source_id ?? body.parent?.database_id}. Make sure the relevant pages and databases are shared with your integration.`)
  try {
    for (const [key, value] of Object.entries(body.properties ?? {})) {
      const column = database.properties[key] ?? Object.values(database.properties).find(c => c.id === key)
      if (!column) throw new ValidationError(`${key} is not a property that exists.`)
      checkProperty(state, column, value)
    }
    checkBlocks(body.children)
  }
  catch (error) {
    if (error instanceof ValidationError) return notionError(400, 'validation_error', error.message)
    throw error
  }
  const id = randomUUID()
  const title = plainText(Object.entries(body.properties ?? {}).find(([k]) => database.properties[k]?.type === 'title')?.[1]?.title)
  const page: NotionStandinPage = {
    id,
    url: `https://www.notion.so/${title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'Untitled'}-${id.replace(/-/g, '')}`,
    dataSourceId: database.dataSourceId,
    databaseId: database.id,
    properties: Object.fromEntries(Object.entries(body.properties ?? {}).map(([k, v]) => [database.properties[k]?.name ?? k, v])),
    children: (body.children as Record<string, unknown>[] | undefined) ?? [],
    createdTime: new Date().toISOString(),
  }
  state.pages.push(page)
  return { status: 200, body: pageObject(page) }
}

/** A property filter on a title or text column (`equals`, `is_empty`), or a compound `and`/`or` of filters. */
type QueryFilter = { and?: QueryFilter[], or?: QueryFilter[], property?: string } & Record<string, unknown>

function pageFilter(database: NotionStandinDatabase, filter: QueryFilter): { matches: (page: NotionStandinPage) => boolean } | { error: string } {
  for (const compound of ['and', 'or'] as const) {
    const parts = filter[compound]
    if (!parts) continue
    const tests = parts.map(part => pageFilter(database, part))
    const failed = tests.find(test => 'error' in test)
    if (failed) return failed
    const matchers = tests.map(test => (test as { matches: (page: NotionStandinPage) => boolean }).matches)
    return { matches: page => compound === 'and' ? matchers.every(m => m(page)) : matchers.some(m => m(page)) }
  }
  const column = filter.property ? database.properties[filter.property] : undefined
  if (!column) return { error: `Could not find property with name or id: ${filter.property}` }
  const condition = filter[column.type] as { equals?: string, is_empty?: true } | undefined
  if (!condition || !['title', 'rich_text'].includes(column.type)) return { error: `body failed validation: body.filter.${column.type} should be defined.` }
  const text = (page: NotionStandinPage) => plainText(page.properties[column.name]?.[column.type])
  if (condition.is_empty) return { matches: page => text(page) === '' }
  return { matches: page => text(page) === condition.equals }
}

function queryDataSource(state: NotionStandinState, id: string, request: StandinRequest): StandinAnswer {
  const database = byDataSource(state, id)
  if (!database) return notionError(404, 'object_not_found', `Could not find data_source with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`)
  const { filter, page_size: pageSize = 100 } = request.args as { filter?: QueryFilter, page_size?: number }
  let pages = state.pagesIn(database.id)
  if (filter) {
    const test = pageFilter(database, filter)
    if ('error' in test) return notionError(400, 'validation_error', test.error)
    pages = pages.filter(test.matches)
  }
  return { status: 200, body: { object: 'list', results: pages.slice(0, Math.min(Number(pageSize), 100)).map(pageObject), next_cursor: null, has_more: false, type: 'page_or_data_source', page_or_data_source: {} } }
}

function blockChildren(state: NotionStandinState, id: string): StandinAnswer {
  const page = state.pages.find(p => p.id === id)
  if (!page) return notionError(404, 'object_not_found', `Could not find block with ID: ${id}.`)
  const results = page.children.map((block) => {
    const type = block.type as string
    const content = block[type] as { rich_text?: { text: { content: string } }[] }
    return { object: 'block', id: randomUUID(), type, [type]: { ...content, rich_text: content.rich_text?.map(t => ({ ...t, plain_text: t.text.content })) } }
  })
  return { status: 200, body: { object: 'list', results, next_cursor: null, has_more: false, type: 'block', block: {} } }
}

function handle(state: NotionStandinState, request: StandinRequest, run: () => StandinAnswer): StandinAnswer {
  const auth = String(request.headers.authorization ?? '')
  if (auth !== `Bearer ${state.token}`) return notionError(401, 'unauthorized', 'API token is invalid.')
  const version = request.headers['notion-version']
  if (!version) return notionError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.')
  if (!VERSIONS.includes(String(version))) return notionError(400, 'validation_error', `Notion-Version header failed validation: unsupported version \`${version}\`.`)
  return run()
}

export async function startNotionStandin(options: { token?: string } = {}): Promise<NotionStandin> {
  const state = createState(options.token ?? 'ntn_standin_token')
  const standin = await startHttpStandin({
    route(request) {
      const { method, path } = request
      const one = (pattern: RegExp) => pattern.exec(path)?.[1]
      let id: string | undefined
      const named = (name: string, run: (req: StandinRequest) => StandinAnswer) => ({ name, handle: (req: StandinRequest) => handle(state, req, () => run(req)) })
      if (method === 'GET' && (id = one(/^\/v1\/databases\/([^/]+)$/))) {
        const databaseId = id
        return named(ROUTES.database, () => {
          const database = state.databases.get(databaseId)
          if (!database?.shared) return notionError(404, 'object_not_found', `Could not find database with ID: ${databaseId}. Make sure the relevant pages and databases are shared with your integration.`)
          return { status: 200, body: { object: 'database', id: database.id, title: [{ type: 'text', text: { content: database.title }, plain_text: database.title }], data_sources: [{ id: database.dataSourceId, name: database.title }], is_inline: false, in_trash: false } }
        })
      }
      if (method === 'GET' && (id = one(/^\/v1\/data_sources\/([^/]+)$/))) {
        const dataSourceId = id
        return named(ROUTES.dataSource, () => {
          const database = byDataSource(state, dataSourceId)
          if (!database) return notionError(404, 'object_not_found', `Could not find data_source with ID: ${dataSourceId}.`)
          return { status: 200, body: dataSourceObject(database) }
        })
      }
      if (method === 'PATCH' && (id = one(/^\/v1\/data_sources\/([^/]+)$/))) {
        const dataSourceId = id
        return named(ROUTES.updateDataSource, req => updateDataSource(state, dataSourceId, req))
      }
      if (method === 'POST' && path === '/v1/search') return named(ROUTES.search, req => search(state, req))
      if (method === 'POST' && path === '/v1/pages') return named(ROUTES.createPage, req => createPage(state, req))
      if (method === 'POST' && (id = one(/^\/v1\/data_sources\/([^/]+)\/query$/))) {
        const dataSourceId = id
        return named(ROUTES.query, req => queryDataSource(state, dataSourceId, req))
      }
      if (method === 'GET' && (id = one(/^\/v1\/blocks\/([^/]+)\/children$/))) {
        const blockId = id
        return named(ROUTES.blockChildren, () => blockChildren(state, blockId))
      }
      if (method === 'GET' && path === '/v1/users') {
        // Paged like the real list (page_size ≤ 100, an opaque start_cursor): notion-admin.md §2.
        return named(ROUTES.users, (req) => {
          if (state.capabilities.userInformation === 'none') return restricted()
          const pageSize = Math.min(100, Math.max(1, Number(req.query.page_size) || 100))
          const start = offsetOf(req.query.start_cursor)
          const slice = state.users.slice(start, start + pageSize)
          const next = start + pageSize < state.users.length ? cursorOf(start + pageSize) : null
          const withEmail = state.capabilities.userInformation === 'with_email'
          const results = slice.map(u => u.type === 'bot'
            ? { object: 'user', id: u.id, type: 'bot', name: u.name, avatar_url: null, bot: {} }
            : { object: 'user', id: u.id, type: 'person', name: u.name, avatar_url: u.avatarUrl ?? null, person: withEmail ? { email: u.email } : {} })
          return { status: 200, body: { object: 'list', results, next_cursor: next, has_more: next !== null, type: 'user', user: {} } }
        })
      }
      return undefined
    },
    notFound: request => notionError(400, 'invalid_request_url', `Invalid request URL: ${request.method} ${request.path}`),
    badRequest: message => notionError(400, 'invalid_json', `Error parsing JSON body: ${message}`),
  })
  return {
    ...standin,
    state,
    calls: route => standin.requests.filter(r => r.route === route && !r.fault).map(r => ({ ...r, params: {} })),
    reset() {
      standin.faults.clear()
      standin.requests.length = 0
      state.pages.length = 0
      state.databases.clear()
      state.capabilities = { readContent: true, updateContent: true, userInformation: 'with_email' }
    },
  }
}

export const start = startNotionStandin
