// A receiver of Discubot's outgoing alert webhook: answers 200 to every POST and records it
// (headers, exact body bytes) so a test can verify the signature; its fault queue plays an
// endpoint answering 500 or 400. Route name: `POST /alerts`.
import { startHttpStandin, type HttpStandin, type RecordedRequest } from './http-standin'

export const ALERT_ROUTE = 'POST /alerts'

export interface AlertReceiver extends HttpStandin {
  /** The URL to save as the team's webhook. */
  endpoint: string
  /** Requests that reached the receiver's own handler (not answered by a fault). */
  received(): RecordedRequest[]
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const standin = await startHttpStandin({
    route: request => request.method === 'POST' && request.path === '/alerts'
      ? { name: ALERT_ROUTE, handle: () => ({ status: 200, body: { ok: true } }) }
      : undefined,
    notFound: () => ({ status: 404, body: { error: 'not found' } }),
    badRequest: () => ({ status: 400, body: { error: 'invalid body' } }),
  })
  return {
    ...standin,
    endpoint: `${standin.url}/alerts`,
    received: () => standin.requests.filter(request => request.route === ALERT_ROUTE && !request.fault),
  }
}
