// A delivery a source refuses to interpret (malformed, unauthenticated): the webhook edge answers
// `statusCode` with `message` and writes nothing. Plain errors, no HTTP framework: the sources
// parse and verify, the webhooks module turns this into the answer.
import type { z } from 'zod'

export class DeliveryRejection extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message)
    this.name = 'DeliveryRejection'
  }
}

export function invalidDelivery(message: string): DeliveryRejection {
  return new DeliveryRejection(400, message)
}

/** `what: path: problem; …` — the issues of a failed zod parse, short enough for a 400 body. */
export function describeZodError(what: string, error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : ''
  return `${what}: ${issues.join('; ')}${more}`
}

/** Parses with `schema` or throws a 400 naming every field that is wrong. */
export function parseOrReject<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw invalidDelivery(describeZodError(what, result.error))
  return result.data
}
