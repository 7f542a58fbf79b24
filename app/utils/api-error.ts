import { FetchError } from 'ofetch'

/** The message an API error carries (our handlers always set one), or a sentence that says what to do. */
export function apiErrorMessage(error: unknown): string {
  if (error instanceof FetchError || (error && typeof error === 'object' && 'data' in error)) {
    const e = error as FetchError<{ message?: string, statusMessage?: string }>
    const status = e.statusCode ?? e.response?.status
    if (status === 429) {
      const seconds = Number(e.response?.headers.get('retry-after'))
      return `Too many attempts. Try again in ${seconds ? formatDuration(seconds * 1000) : 'a few minutes'}.`
    }
    const message = e.data?.message || e.data?.statusMessage
    if (message) return message
    if (!status) return 'The server could not be reached. Check your connection and try again.'
    return `The server answered ${status}. Try again, or check the server log.`
  }
  return error instanceof Error ? error.message : String(error)
}
