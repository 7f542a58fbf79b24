// The setup side of a Notion target (../shared/reference/notion-admin.md): which databases the
// integration can see, what a database's columns are, adding the marker column, and whether the
// integration may read people. The task sink and "Check connection" read targets through here too.
import { isFullDataSource, iteratePaginatedAPI, type Client } from '@notionhq/client'
import { PermanentError } from '../../utils/errors'
import { MARKER_PROPERTY, notionTypeLabel } from '../../../shared/notion-fields'
import { callNotion, normalizeDatabaseId, notionClient, type NotionConnection } from './client'
import { readDataSourceSchema, type DataSourceSchema } from './mapping'

type Signal = { signal?: AbortSignal }

const plain = (parts: { plain_text: string }[] | undefined) => (parts ?? []).map(part => part.plain_text).join('')

/** A database as the picker offers it and the mapping reads it. */
export interface NotionTargetInfo {
  /** The id a config stores (`notionDatabaseId`): the database's, as its URL shows it. */
  databaseId: string
  /** Where pages go (API 2025-09-03): the database's data source. */
  dataSourceId: string
  title: string
  url: string | null
}

export interface NotionTarget extends NotionTargetInfo {
  schema: DataSourceSchema
}

/**
 * A database's data source and its columns. Pages go to the database's first data source; a data
 * source id pasted instead of the database's (Notion's "Copy data source ID") is read as such.
 */
export async function readNotionTarget(connection: NotionConnection, databaseRef: string, options: Signal = {}): Promise<NotionTarget> {
  const notion = notionClient(connection, options.signal)
  const call = <T>(subject: Parameters<typeof callNotion>[0], run: () => Promise<T>) => callNotion(subject, connection, run)
  const id = normalizeDatabaseId(databaseRef)
  let dataSourceId: string
  try {
    const database = await call('database', () => notion.databases.retrieve({ database_id: id }))
    const sources = (database as { data_sources?: { id: string }[] }).data_sources ?? []
    if (!sources[0]) throw new PermanentError(`The Notion database ${id} has no data source to add pages to`, { service: 'Notion', code: 'no_data_source' })
    dataSourceId = sources[0].id
  }
  catch (error) {
    if (!(error instanceof PermanentError && error.status === 404)) throw error
    const asDataSource = await call('data source', () => notion.dataSources.retrieve({ data_source_id: id })).catch(() => null)
    if (!asDataSource) throw error
    dataSourceId = asDataSource.id
  }
  const dataSource = await call('data source', () => notion.dataSources.retrieve({ data_source_id: dataSourceId }))
  return { ...describeDataSource(dataSource, id), schema: readDataSourceSchema(dataSource.id, dataSource.properties ?? {}) }
}

type DataSourceAnswer = Awaited<ReturnType<Client['dataSources']['retrieve']>>

function describeDataSource(source: DataSourceAnswer, fallbackDatabaseId: string): NotionTargetInfo {
  if (!isFullDataSource(source)) return { databaseId: fallbackDatabaseId, dataSourceId: source.id, title: '', url: null }
  const parent = source.parent as { type?: string, database_id?: string }
  return {
    databaseId: parent.type === 'database_id' && parent.database_id ? parent.database_id : fallbackDatabaseId,
    dataSourceId: source.id,
    title: plain(source.title),
    url: source.url ?? null,
  }
}

/** The most the picker lists; a longer list is narrowed by typing, not scrolled. */
export const MAX_LISTED_DATABASES = 100

/**
 * The data sources shared with the integration whose title matches `query` (all of them without
 * one), most recently edited first, at most MAX_LISTED_DATABASES (every page of the search until then).
 */
export async function searchNotionDatabases(connection: NotionConnection, query: string, options: Signal = {}): Promise<{ databases: NotionTargetInfo[], truncated: boolean }> {
  const notion = notionClient(connection, options.signal)
  const databases: NotionTargetInfo[] = []
  const pages = iteratePaginatedAPI(notion.search, {
    ...(query ? { query } : {}),
    filter: { property: 'object', value: 'data_source' },
    sort: { timestamp: 'last_edited_time', direction: 'descending' },
    page_size: 100,
  })
  return callNotion('search', connection, async () => {
    for await (const result of pages) {
      if (result.object !== 'data_source' || !isFullDataSource(result) || result.in_trash) continue
      if (databases.length === MAX_LISTED_DATABASES) return { databases, truncated: true }
      databases.push(describeDataSource(result, result.id))
    }
    return { databases, truncated: false }
  })
}

export type MarkerOutcome = { added: boolean, column: string }

/**
 * Adds the text column "Discubot ID" to the data source unless it is there. Read first (the same
 * name with another type would be *changed* by the update, notion-admin.md §3), add only when missing.
 */
export async function addMarkerColumn(connection: NotionConnection, dataSourceId: string, options: Signal = {}): Promise<MarkerOutcome> {
  const notion = notionClient(connection, options.signal)
  const current = await callNotion('data source', connection, () => notion.dataSources.retrieve({ data_source_id: dataSourceId }))
  const existing = Object.values(readDataSourceSchema(current.id, current.properties ?? {}).properties)
    .find(column => column.name.toLowerCase() === MARKER_PROPERTY.toLowerCase())
  if (existing?.type === 'rich_text') return { added: false, column: existing.name }
  if (existing) {
    throw new PermanentError(`The database already has a "${existing.name}" property of type ${notionTypeLabel(existing.type)}; rename it, then add the Text column "${MARKER_PROPERTY}"`, { service: 'Notion', code: 'marker_taken' })
  }
  await callNotion('data source update', connection, () => notion.dataSources.update({ data_source_id: dataSourceId, properties: { [MARKER_PROPERTY]: { rich_text: {} } } }))
  return { added: true, column: MARKER_PROPERTY }
}

/** Whether the integration may list workspace users (a People column needs it); 403 → false. */
export async function canReadNotionUsers(connection: NotionConnection, options: Signal = {}): Promise<boolean> {
  const notion = notionClient(connection, options.signal)
  try {
    await callNotion('user list', connection, () => notion.users.list({ page_size: 1 }))
    return true
  }
  catch (error) {
    if (error instanceof PermanentError && error.status === 403) return false
    throw error
  }
}
