// Small translations from layer results to HTTP answers, shared by the admin handlers.
import { JobControlError } from '#layers/discubot/server/pipeline/job-control-error'
import type { z } from 'zod'
import { describeZodError } from '#layers/discubot/server/sources/rejection'
import { classifyError } from '#layers/discubot/server/utils/errors'

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

/**
 * A validator for readValidatedBody / getValidatedQuery whose 400 names each problem in words
 * ("Conversation: messages: paste at least one message") instead of zod's JSON.
 */
export function inWords<S extends z.ZodType>(schema: S, what: string) {
  return (value: unknown): z.output<S> => {
    const result = schema.safeParse(value)
    if (!result.success) throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: describeZodError(what, result.error) })
    return result.data
  }
}

/** An outside service (a model, Notion) refused: 422 in its words; it did not answer: 502. Never a 500. */
export function rethrowServiceError(error: unknown): never {
  if (isError(error)) throw error
  const classified = classifyError(error)
  if (classified.kind === 'permanent') throw createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message: classified.message })
  throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: `${classified.message}. Try again in a moment.` })
}
