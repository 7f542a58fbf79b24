// A failed job in words the person who mentioned the bot understands, from the classified error
// (service, status, code) and the stage it failed in — "I couldn't create the Notion tasks: the
// database isn't shared with the Discubot integration." The admin keeps the engineer's message;
// this is what the thread and the alerts say. Pure: no I/O.
import type { StageName } from '../../shared/domain'

export interface JobFailure {
  stage: StageName
  /** transient: the attempts ran out; permanent: the service said no. */
  kind: 'transient' | 'permanent'
  service?: string
  status?: number
  code?: string
  message: string
}

const SLACK_TOKEN_REFUSED = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive'])
/** Slack codes meaning the bot cannot reach the thread at all: a note there would fail the same way. */
const SLACK_THREAD_UNREACHABLE = new Set([...SLACK_TOKEN_REFUSED, 'channel_not_found', 'not_in_channel', 'is_archived', 'thread_not_found'])

function whatFailed(failure: JobFailure): string {
  switch (failure.stage) {
    case 'ingestion': return 'I couldn\'t take this discussion in'
    case 'config_loading': return 'I couldn\'t load the settings of this source'
    case 'thread_building': return 'I couldn\'t read this thread'
    case 'ai_analysis': return 'I couldn\'t analyze this thread'
    case 'task_creation': return failure.service === 'Notion' ? 'I couldn\'t create the Notion tasks' : 'I couldn\'t save the tasks'
    case 'notification': return 'I couldn\'t post the summary here'
  }
}

function notionCause({ status, code }: JobFailure): string | undefined {
  if (status === 404 || code === 'object_not_found') return 'the database isn\'t shared with the Discubot integration'
  if (status === 401 || code === 'unauthorized') return 'Notion no longer accepts the Discubot integration\'s token'
  if (status === 403 || code === 'restricted_resource') return 'the Discubot integration isn\'t allowed to add pages to that database'
  if (status === 400 || code === 'validation_error') return 'Notion refused the page: a column of the database doesn\'t match what Discubot fills in'
  return undefined
}

function slackCause({ code }: JobFailure): string | undefined {
  if (!code) return undefined
  if (SLACK_TOKEN_REFUSED.has(code)) return 'Slack no longer accepts Discubot\'s token'
  if (code === 'missing_scope') return 'the Slack app lacks a permission it needs; reinstall it with the scopes Discubot asks for'
  if (code === 'not_in_channel') return 'the bot isn\'t in this channel; invite it with /invite'
  if (code === 'channel_not_found') return 'the bot can\'t see this channel; invite it with /invite'
  if (code === 'thread_not_found' || code === 'message_not_found') return 'the thread or its first message was deleted'
  if (code === 'is_archived') return 'the channel is archived'
  return undefined
}

function figmaCause({ status }: JobFailure): string | undefined {
  if (status === 403) return 'Figma doesn\'t accept Discubot\'s access token, or it has no access to this file'
  if (status === 404) return 'Figma can\'t find this file or comment'
  return undefined
}

function modelCause({ status, code, message }: JobFailure): string | undefined {
  if (code === 'insufficient_quota') return 'the AI provider\'s account is out of credit'
  if (code === 'outbound_refused') return 'the AI endpoint set for this source isn\'t allowed'
  if (status === 401 || status === 403) return 'the AI provider doesn\'t accept Discubot\'s API key'
  if (status === 404) return 'the AI model set for this source isn\'t available'
  if (/did not match the analysis schema/i.test(message)) return 'the AI\'s answer didn\'t have the shape Discubot needs'
  if (status === 400) return 'the AI provider refused the request'
  return undefined
}

function cause(failure: JobFailure): string {
  if (failure.code === 'poison_job') return 'it stopped the server every time it ran, so I gave up'
  if (/secrets need re-entry/i.test(failure.message)) return 'its secrets must be entered again in Discubot'
  const specific = failure.service === 'Notion'
    ? notionCause(failure)
    : failure.service === 'Slack'
      ? slackCause(failure)
      : failure.service === 'Figma'
        ? figmaCause(failure)
        : failure.stage === 'ai_analysis' ? modelCause(failure) : undefined
  if (specific) return specific
  const who = failure.service ?? (failure.stage === 'ai_analysis' ? 'the AI provider' : undefined)
  if (failure.kind === 'transient') return who ? `${who} kept failing, so I gave up after several tries` : 'it kept failing, so I gave up after several tries'
  return who ? `${who} refused the request` : 'something unexpected went wrong'
}

/** One sentence: what could not be done, and why, in plain words. */
export function describeFailure(failure: JobFailure): string {
  return `${whatFailed(failure)}: ${cause(failure)}.`
}

/** The service name a source's errors carry. */
const SOURCE_SERVICES: Record<string, string> = { slack: 'Slack', figma: 'Figma' }

export function sourceServiceName(sourceType: string): string {
  return SOURCE_SERVICES[sourceType] ?? sourceType
}

/** The source itself refused the thread (gone, or the bot locked out): a note there cannot be posted either. */
export function threadUnreachable(failure: JobFailure, sourceType: string): boolean {
  const service = SOURCE_SERVICES[sourceType]
  if (!service || failure.service !== service || failure.kind !== 'permanent') return false
  if (service === 'Slack') return Boolean(failure.code && SLACK_THREAD_UNREACHABLE.has(failure.code))
  return failure.status === 403 || failure.status === 404
}

/** The service whose credentials were refused (401/403, or Slack's token codes): the team must act. */
export function refusedCredential(failure: JobFailure): string | undefined {
  if (failure.kind !== 'permanent') return undefined
  const refused = failure.status === 401 || failure.status === 403 || (failure.service === 'Slack' && Boolean(failure.code && SLACK_TOKEN_REFUSED.has(failure.code)))
  if (!refused) return undefined
  return failure.service ?? (failure.stage === 'ai_analysis' ? 'The AI provider' : 'A service')
}
