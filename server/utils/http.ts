// Small translations from layer results to HTTP answers, shared by the admin handlers.
import { RetryError } from '#layers/discubot/server/pipeline/retry'

/** Another team's id reads exactly like an id that does not exist: 404. */
export function foundOr404<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `${what} not found` })
  return value
}

/** A RetryError already carries its status (404 unknown, 422 not failed). */
export function rethrowRetryError(error: unknown): never {
  if (error instanceof RetryError) throw createError({ statusCode: error.statusCode, message: error.message })
  throw error
}
