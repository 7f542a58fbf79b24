// Retrying database work that failed for a passing reason: a busy file lock, or a libSQL server
// that dropped the connection. Anything else (a constraint, a lost lease) is not retried.
import { LibsqlError } from '@libsql/client'

const TRANSIENT_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SERVER_ERROR', 'HRANA_WEBSOCKET_ERROR', 'STREAM_EXPIRED'])

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  let e: unknown = error
  while (e && chain.length < 6) {
    chain.push(e)
    e = (e as { cause?: unknown }).cause
  }
  return chain
}

/** True when the error means "the database is unavailable right now", not "this write is wrong". */
export function isTransientDbError(error: unknown): boolean {
  return causeChain(error).some((e) => {
    if (e instanceof LibsqlError) return TRANSIENT_CODES.has(e.code) || [...TRANSIENT_CODES].some(c => e.code.startsWith(c))
    const code = (e as { code?: unknown })?.code
    if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|UND_ERR)/.test(code))) return true
    const message = String((e as { message?: unknown })?.message ?? '')
    return /database is locked|SQLITE_BUSY|readonly database|disk I\/O error|unable to open database/i.test(message)
  })
}

export interface DbRetryOptions {
  attempts?: number
  baseMs?: number
  capMs?: number
  /** Retry any error, not only transient ones (used for racing migrations). */
  retryAll?: boolean
}

export async function withDbRetry<T>(work: () => Promise<T>, options: DbRetryOptions = {}): Promise<T> {
  const { attempts = 5, baseMs = 25, capMs = 2000, retryAll = false } = options
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    }
    catch (error) {
      if (attempt >= attempts || !(retryAll || isTransientDbError(error))) throw error
      const delay = Math.random() * Math.min(capMs, baseMs * 2 ** attempt)
      await new Promise(resolve => setTimeout(resolve, delay))
    }
  }
}
