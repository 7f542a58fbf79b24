// The official Notion client, configured for a durable pipeline: no SDK retries (the engine retries
// with backoff and, for creates, looks the page up first), a hard timeout that really aborts the
// socket, the job's abort signal, and a process-wide limiter of 3 requests/s per integration token.
import { createHash } from 'node:crypto'
import { Client, LogLevel, extractDatabaseId } from '@notionhq/client'
import { keyedLimiter } from '../../utils/token-bucket'
import { reportedCall } from '../../utils/external-requests'
import { classifyNotionError, type NotionSubject } from './errors'

/** Pinned: the first version with data sources; it is also the SDK's default. */
export const NOTION_VERSION = '2025-09-03'

/** Notion's documented average: 3 requests per second per integration. */
export const notionLimiter = keyedLimiter({ ratePerSecond: 3, capacity: 3 })

export interface NotionConnection {
  token: string
  apiUrl: string
  timeoutMs: number
}

/** A key that identifies the integration without keeping the token itself around. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16)
}

/** Accepts a database id in any form Notion shows it (dashed, compact, or the database's URL). */
export function normalizeDatabaseId(value: string): string {
  return extractDatabaseId(value) ?? value.trim()
}

export function notionClient(connection: NotionConnection, signal?: AbortSignal): Client {
  const key = tokenKey(connection.token)
  return new Client({
    auth: connection.token,
    baseUrl: connection.apiUrl.replace(/\/+$/, ''),
    timeoutMs: connection.timeoutMs,
    notionVersion: NOTION_VERSION,
    retry: false,
    logLevel: LogLevel.ERROR,
    async fetch(url, init) {
      await notionLimiter.acquire(key, signal)
      const timeout = AbortSignal.timeout(connection.timeoutMs)
      return fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout })
    },
  })
}

/** Runs one Notion call and turns whatever it throws into a TransientError or PermanentError. */
export function callNotion<T>(subject: NotionSubject, connection: NotionConnection, call: () => Promise<T>): Promise<T> {
  return reportedCall('notion', async () => {
    try {
      return await call()
    }
    catch (error) {
      throw classifyNotionError(error, subject, connection.timeoutMs)
    }
  })
}
