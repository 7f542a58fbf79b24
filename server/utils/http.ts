// Small translations from layer results to HTTP answers, shared by the admin handlers.
import { JobControlError } from '#layers/discubot/server/pipeline/job-control-error'

/** Another team's id reads exactly like an id that does not exist: 404. */
export function foundOr404<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `${what} not found` })
  return value
}

/** A refused job control (retry, discard, cancel) already carries its status (404 unknown, 409/422 wrong state). */
export function rethrowControlError(error: unknown): never {
  if (error instanceof JobControlError) throw createError({ statusCode: error.statusCode, message: error.message })
  throw error
}
