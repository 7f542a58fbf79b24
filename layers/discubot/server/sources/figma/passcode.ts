// Figma webhooks carry no signature: the passcode set at creation comes back in every payload.
// Comparing SHA-256 digests keeps the comparison constant-time even when the lengths differ.
import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()

export function figmaPasscodeMatches(received: unknown, expected: string | undefined | null): boolean {
  if (typeof received !== 'string' || !received || !expected) return false
  return timingSafeEqual(digest(received), digest(expected))
}
