import { createHash } from 'node:crypto'

/**
 * A UUID-shaped id derived from `parts`: two writers racing to create "the same" row compute the
 * same id, so the database's primary key (not an interactive transaction) makes one of them win.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  // RFC 9562 version 8 (custom): version nibble 8, variant bits 10.
  const variant = (8 + (Number.parseInt(hex[16]!, 16) & 3)).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
