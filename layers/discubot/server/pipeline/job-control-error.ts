/** A job control (retry, discard, cancel) refused: 404 unknown (or another team's), 409/422 not in a state that allows it. */
export class JobControlError extends Error {
  constructor(readonly statusCode: 404 | 409 | 422, message: string) {
    super(message)
    this.name = 'JobControlError'
  }
}
