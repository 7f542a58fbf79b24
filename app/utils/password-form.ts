// Forms that set a password ask for it twice; the copy must match.
import { z } from 'zod'

export function withConfirmation<T extends z.ZodRawShape>(schema: z.ZodObject<T>, field: keyof T & string) {
  return schema.extend({ confirm: z.string() })
    .refine((value) => {
      const fields = value as Record<string, unknown>
      return fields[field] === fields.confirm
    }, { message: 'The passwords differ', path: ['confirm'] })
}
