// Task pages in a Notion database (API 2025-09-03: pages live in the database's data source).
// Notion has no idempotency key, so every page carries the task's key as a marker, and
// `findExisting` looks it up before a retry creates anything.
import type { CreatePageParameters, QueryDataSourceParameters } from '@notionhq/client'
import { PermanentError } from '../../utils/errors'
import type { Analysis, NotionPropertyMap } from '../../../shared/schemas'
import type { CreatedTask, TaskIntent, TaskSink } from '../types'
import { callNotion, normalizeDatabaseId, notionClient, tokenKey, type NotionConnection } from './client'
import { resolveMapping, type DataSourceSchema, type NotionMapping } from './mapping'
import { readNotionTarget } from './setup'
import { bodyMarker, fieldFills, pageBlocks, pageProperties } from './page-content'
import { listNotionPeople } from './people'

export interface NotionTarget {
  connection: NotionConnection
  /** The database id, its compact form, or its URL. */
  databaseId: string
  propertyMap?: NotionPropertyMap | null
}

interface TargetState {
  schema: DataSourceSchema
  mapping: NotionMapping
}

/** Schemas change rarely; re-reading every 10 minutes picks up renamed columns without a restart. */
const SCHEMA_TTL_MS = 10 * 60_000
const schemaCache = new Map<string, { state: Promise<TargetState>, loadedAt: number }>()

type Signal = { signal?: AbortSignal }

export function notionTaskSink(target: NotionTarget): TaskSink {
  const databaseId = normalizeDatabaseId(target.databaseId)
  const cacheKey = `${tokenKey(target.connection.token)}:${databaseId}:${JSON.stringify(target.propertyMap ?? {})}`
  const client = (options: Signal) => notionClient(target.connection, options.signal)
  const call = <T>(subject: Parameters<typeof callNotion>[0], run: () => Promise<T>) => callNotion(subject, target.connection, run)

  async function readSchema(options: Signal): Promise<TargetState> {
    const { schema } = await readNotionTarget(target.connection, databaseId, options)
    return { schema, mapping: resolveMapping(schema, target.propertyMap) }
  }

  function state(options: Signal): Promise<TargetState> {
    const cached = schemaCache.get(cacheKey)
    if (cached && Date.now() - cached.loadedAt < SCHEMA_TTL_MS) return cached.state
    const loading = readSchema(options)
    schemaCache.set(cacheKey, { state: loading, loadedAt: Date.now() })
    loading.catch(() => schemaCache.delete(cacheKey))
    return loading
  }

  async function query(dataSourceId: string, filter: QueryDataSourceParameters['filter'], pageSize: number, options: Signal) {
    const answer = await call('query', () => client(options).dataSources.query({ data_source_id: dataSourceId, filter, page_size: pageSize }))
    return answer.results.filter((r): r is typeof r & { object: 'page', url: string } => r.object === 'page' && 'url' in r)
  }

  /**
   * Pages with the task's title whose body carries the marker line: created while the database had
   * no marker column. With the column, only pages whose column is empty can be such pages; without
   * that condition every task with a common title would read the bodies of all its namesakes.
   */
  async function findByBodyMarker(current: TargetState, intent: TaskIntent, options: Signal): Promise<CreatedTask | null> {
    const sameTitle = { property: current.mapping.title, title: { equals: intent.title } }
    const { discubotId } = current.mapping
    const filter = discubotId ? { and: [sameTitle, { property: discubotId.name, rich_text: { is_empty: true as const } }] } : sameTitle
    const candidates = await query(current.schema.dataSourceId, filter, 20, options)
    const marker = bodyMarker(intent.idempotencyKey)
    for (const page of candidates) {
      const children = await call('page content', () => client(options).blocks.children.list({ block_id: page.id, page_size: 100 }))
      const hasMarker = children.results.some((b) => {
        const paragraph = (b as { paragraph?: { rich_text?: { plain_text?: string, text?: { content?: string } }[] } }).paragraph
        return paragraph?.rich_text?.map(t => t.plain_text ?? t.text?.content ?? '').join('') === marker
      })
      if (hasMarker) return { pageId: page.id, url: page.url }
    }
    return null
  }

  return {
    name: 'notion',
    people: {
      key: tokenKey(target.connection.token),
      list: options => call('user list', () => listNotionPeople(client(options))),
    },

    async prepare(options) {
      const { schema, mapping } = await state(options)
      return { warnings: mapping.warnings, dataSourceId: schema.dataSourceId }
    },

    async findExisting(intent, options) {
      const current = await state(options)
      const { discubotId } = current.mapping
      if (discubotId) {
        const [page] = await query(current.schema.dataSourceId, { property: discubotId.name, rich_text: { equals: intent.idempotencyKey } }, 1, options)
        if (page) return { pageId: page.id, url: page.url }
      }
      // Also when the column exists: a page created before someone added it carries the marker in its body.
      return findByBodyMarker(current, intent, options)
    },

    async create(intent: TaskIntent, analysis: Analysis, options) {
      const current = await state(options)
      const { mapping } = current
      const body = {
        parent: { type: 'data_source_id', data_source_id: current.schema.dataSourceId },
        properties: pageProperties(mapping, intent),
        children: pageBlocks(intent, analysis, { markerInBody: !mapping.discubotId }),
      } as unknown as CreatePageParameters
      try {
        const page = await call('page', () => client(options).pages.create(body))
        const url = 'url' in page && typeof page.url === 'string' ? page.url : `https://www.notion.so/${page.id.replace(/-/g, '')}`
        return { pageId: page.id, url }
      }
      catch (error) {
        // The schema may have changed under us (a renamed column): read it again next time.
        if (error instanceof PermanentError) schemaCache.delete(cacheKey)
        throw error
      }
    },

    async preview(intent, options) {
      const { mapping } = await state(options)
      return fieldFills(mapping, intent)
    },
  }
}

/** The database's schema changed (a column added through the admin): the next job reads it again. */
export function forgetNotionTarget(token: string, databaseRef: string) {
  const prefix = `${tokenKey(token)}:${normalizeDatabaseId(databaseRef)}:`
  for (const key of schemaCache.keys()) if (key.startsWith(prefix)) schemaCache.delete(key)
}

/** Tests start every case from a cold cache. */
export function clearNotionCaches() {
  schemaCache.clear()
}
