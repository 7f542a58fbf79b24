import { createHash } from 'node:crypto'

/**
 * A UUID-shaped id derived from `parts`: two writers racing to create "the same" row compute the
 * same id, so the database's primary key (not an interactive transaction) makes one of them win.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
