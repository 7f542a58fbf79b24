// The official WebClient, configured for a durable worker: one try per call (the engine retries
// with backoff and survives restarts), rate limits reported instead of slept on, every request
// bounded by the timeout and by the job's abort signal.
import { LogLevel, WebClient, type FetchFunction } from '@slack/web-api'
import type { Settings } from '../../utils/settings'
import { PermanentError } from '../../utils/errors'
import { reportedCall } from '../../utils/external-requests'
import { slackError } from './errors'

export type SlackClientSettings = Pick<Settings, 'slackApiUrl' | 'httpTimeoutMs'>

/** The SDK times each request out itself; this adds the caller's signal (lease lost, shutdown). */
function fetchWithSignal(signal: AbortSignal): FetchFunction {
  return (url, init) => fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal })
}

export function createSlackClient(token: string | undefined, settings: SlackClientSettings, signal?: AbortSignal): WebClient {
  if (!token) throw new PermanentError('Slack bot token is not configured for this source config', { service: 'Slack', code: 'not_authed' })
  return slackWebClient(token, settings, signal)
}

/** For the calls made before there is a token (`oauth.v2.access` authenticates with the app's client id and secret). */
export function createSlackAppClient(settings: SlackClientSettings, signal?: AbortSignal): WebClient {
  return slackWebClient(undefined, settings, signal)
}

function slackWebClient(token: string | undefined, settings: SlackClientSettings, signal?: AbortSignal): WebClient {
  return new WebClient(token, {
    slackApiUrl: settings.slackApiUrl,
    timeout: settings.httpTimeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    ...(signal ? { fetch: fetchWithSignal(signal) } : {}),
  })
}

/** Runs one Web API call, classifying its failure (messages name Slack, the method and the code). */
export function callSlack<T>(method: string, call: () => Promise<T>): Promise<T> {
  return reportedCall('slack', async () => {
    try {
      return await call()
    }
    catch (error) {
      throw slackError(method, error)
    }
  })
}
