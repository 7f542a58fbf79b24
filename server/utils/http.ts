// Small translations from layer results to HTTP answers, shared by the admin handlers.
import type { z } from 'zod'
import { RetryError } from '#layers/discubot/server/pipeline/retry'
import { describeZodError } from '#layers/discubot/server/sources/rejection'

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

/**
 * A validator for h3's readers (`readValidatedBody(event, validInput(schema))`) whose 400 names each
 * wrong field in words ("Invalid input: password: Use at least 10 characters"), not zod's JSON.
 */
export function validInput<S extends z.ZodType>(schema: S) {
  return (value: unknown): z.output<S> => {
    const result = schema.safeParse(value)
    if (!result.success) throw new Error(describeZodError('Invalid input', result.error))
    return result.data
  }
}
