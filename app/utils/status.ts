/** A job or discussion still on its way; the pages that show one poll quickly until it settles. */
export function isMoving(status: string | null | undefined): boolean {
  return status === 'pending' || status === 'processing'
}
