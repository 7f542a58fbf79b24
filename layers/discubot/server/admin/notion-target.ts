// A config's Notion target as the Sources page sets it up: the databases the integration can see,
// how a database's columns map onto the task fields, the "Discubot ID" column, and the check a
// property map passes before it is saved. Tokens follow the task sink's rule (sinks/resolve.ts):
// the config's own, else the instance's for the operator's team. Notion's refusals become 422s
// that say what to do, its outages 502s — never a 500.
import { createError } from 'h3'
import type { DiscubotConfig } from '../../collections/configs/server/database/schema'
import { getDiscubotConfigsByIds, readConfigSecrets } from '../../collections/configs/server/database/queries'
import { outboundPolicyOf } from '../bootstrap/default-team'
import { useSettings } from '../utils/settings'
import { PermanentError, TransientError } from '../utils/errors'
import { notionSettingOf } from '../sinks/resolve'
import { normalizeDatabaseId, type NotionConnection } from '../sinks/notion/client'
import { notionAdvice, type NotionSetupAction } from '../sinks/notion/errors'
import { automaticColumn, fieldColumn, MARKER_WARNING, type NotionPropertySchema } from '../sinks/notion/mapping'
import { addMarkerColumn, readNotionTarget, searchNotionDatabases, type NotionTarget } from '../sinks/notion/setup'
import { forgetNotionTarget } from '../sinks/notion/sink'
import { NOTION_FIELD_ORDER } from '../../shared/notion-fields'
import type { ConfigSecrets, NotionPropertyMap } from '../../shared/schemas'
import type { NotionDatabaseList, NotionMappingView, NotionMarkerAdded } from '../../shared/api'
import type { ConfigPatchInput } from '../../shared/config-input'

const unprocessable = (message: string) => createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message })

/** Runs a Notion call; its failure becomes an answer an admin can act on. */
async function askNotion<T>(action: NotionSetupAction, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  }
  catch (error) {
    if (error instanceof PermanentError) throw unprocessable([notionAdvice(error, action), error.message].filter(Boolean).join(' '))
    if (error instanceof TransientError) throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: `${error.message}. Try again in a moment.` })
    throw error
  }
}

interface ConfigTarget {
  config: DiscubotConfig
  connection: NotionConnection
  /** The config's database (or the instance's), '' when none is set yet. */
  databaseId: string
}

function connectionFor(token: string): NotionConnection {
  const settings = useSettings()
  return { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs }
}

/** The config (404 if not the team's) and the Notion token it works with (422 when it has none). */
async function configTarget(teamId: string, configId: string): Promise<ConfigTarget | undefined> {
  const [config] = await getDiscubotConfigsByIds(teamId, [configId])
  if (!config) return undefined
  const { token, databaseId } = notionSettingOf(config, readConfigSecrets(config), useSettings(), await outboundPolicyOf(teamId))
  if (!token) throw unprocessable(`Source config "${config.name}" has no Notion token: enter the integration's secret on the config first.`)
  return { config, connection: connectionFor(token), databaseId }
}

const sameId = (a: string, b: string) => Boolean(a && b) && normalizeDatabaseId(a).replace(/-/g, '').toLowerCase() === normalizeDatabaseId(b).replace(/-/g, '').toLowerCase()

function isTarget(target: NotionTarget, ref: string) {
  return sameId(target.databaseId, ref) || sameId(target.dataSourceId, ref)
}

export async function listNotionDatabases(teamId: string, configId: string, query: string): Promise<NotionDatabaseList | undefined> {
  const target = await configTarget(teamId, configId)
  if (!target) return undefined
  return askNotion('read', () => searchNotionDatabases(target.connection, query))
}

const columnOf = (column: NotionPropertySchema | undefined) => column ? { name: column.name, type: column.type } : null

/** `database` (id or URL) or, without one, the config's current database. */
export async function getNotionMapping(teamId: string, configId: string, database: string | undefined): Promise<NotionMappingView | undefined> {
  const target = await configTarget(teamId, configId)
  if (!target) return undefined
  const ref = database || target.databaseId
  if (!ref) throw unprocessable(`Source config "${target.config.name}" has no Notion database yet: pick one.`)
  const notion = await askNotion('read', () => readNotionTarget(target.connection, ref))
  const saved = isTarget(notion, target.databaseId)
  const configured = saved ? target.config.notionPropertyMap : null
  const { schema, ...info } = notion
  const fields = NOTION_FIELD_ORDER.map((field) => {
    const { column, problem } = fieldColumn(schema, field, configured)
    return { field, automatic: columnOf(automaticColumn(schema, field)), configured: configured?.[field] || null, column: columnOf(column), problem: problem ?? null }
  })
  return {
    database: { databaseId: info.databaseId, dataSourceId: info.dataSourceId, title: info.title, url: info.url },
    saved,
    columns: Object.values(schema.properties).map(c => ({ name: c.name, type: c.type })),
    fields,
    markerWarning: fields.find(f => f.field === 'discubotId')?.column ? null : MARKER_WARNING,
  }
}

/** Adds the "Discubot ID" text column to `database` (or the config's), unless it is there. */
export async function addNotionMarker(teamId: string, configId: string, database: string | undefined): Promise<NotionMarkerAdded | undefined> {
  const target = await configTarget(teamId, configId)
  if (!target) return undefined
  const ref = database || target.databaseId
  if (!ref) throw unprocessable(`Source config "${target.config.name}" has no Notion database yet: pick one.`)
  const { databaseId, dataSourceId } = await askNotion('read', () => readNotionTarget(target.connection, ref))
  const outcome = await askNotion('add a column', () => addMarkerColumn(target.connection, dataSourceId))
  // This instance's jobs see the column at once (however the config names the database); the
  // others within the sink's schema cache time, and until then still find pages by their body.
  if (outcome.added) for (const id of [databaseId, dataSourceId]) forgetNotionTarget(target.connection.token, id)
  return outcome
}

function hasColumns(map: NotionPropertyMap | null | undefined): map is NotionPropertyMap {
  return Boolean(map && Object.values(map).some(Boolean))
}

/**
 * A property map is saved only if it fits the database it will be used with (after this change):
 * every named column exists and its type can hold its field, the same rules a job applies.
 */
export async function assertNotionMapFits(teamId: string, current: DiscubotConfig | undefined, change: Pick<ConfigPatchInput, 'notionDatabaseId' | 'notionPropertyMap' | 'secrets'>): Promise<void> {
  const map = change.notionPropertyMap
  if (!hasColumns(map)) return
  const stored: ConfigSecrets = current ? readConfigSecrets(current) : {}
  const newToken = change.secrets?.notionToken
  const secrets = { notionToken: newToken === null ? undefined : newToken || stored.notionToken }
  const databaseRef = change.notionDatabaseId !== undefined ? change.notionDatabaseId : current?.notionDatabaseId ?? null
  const { token, databaseId } = notionSettingOf({ notionDatabaseId: databaseRef }, secrets, useSettings(), await outboundPolicyOf(teamId))
  if (!token || !databaseId) {
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: 'notionPropertyMap: a property map needs a Notion token and database to be checked against; pick the database first' })
  }
  const { schema } = await askNotion('read', () => readNotionTarget(connectionFor(token), databaseId))
  const problems = NOTION_FIELD_ORDER.flatMap(field => map[field] ? [fieldColumn(schema, field, map).problem].filter(Boolean) : [])
  if (problems.length) throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: `notionPropertyMap: ${problems.join('; ')}` })
}
