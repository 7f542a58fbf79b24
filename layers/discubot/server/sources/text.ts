// Text helpers both sources use to turn a trigger message into a discussion's title and content.

export const TITLE_MAX_CHARS = 80
/** discussionInputSchema.content bound. */
export const CONTENT_MAX_CHARS = 40_000

/** Cuts at a character boundary (never half a surrogate pair) and marks the cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text)
  if (chars.length <= max) return text
  return `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** The first ~80 characters of `text` on one line, or `fallback` when nothing is left. */
export function titleFrom(text: string, fallback: string): string {
  const line = collapseWhitespace(text)
  return line ? truncate(line, TITLE_MAX_CHARS) : fallback
}
