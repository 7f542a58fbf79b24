// The failed job in plain words: each classified failure the pipeline meets maps to one sentence a
// non-engineer can act on; the same facts decide whether a note can reach the thread at all and
// whether a service refused our credentials.
import { describe, expect, it } from 'vitest'
import { describeFailure, refusedCredential, threadUnreachable, type JobFailure } from '#layers/discubot/server/feedback/failure-words'

const failure = (over: Partial<JobFailure>): JobFailure => ({ stage: 'task_creation', kind: 'permanent', message: 'boom', ...over })

describe('describeFailure', () => {
  it.each<[Partial<JobFailure>, string]>([
    [{ service: 'Notion', status: 404, code: 'object_not_found' }, 'I couldn\'t create the Notion tasks: the database isn\'t shared with the Discubot integration.'],
    [{ service: 'Notion', status: 401, code: 'unauthorized' }, 'I couldn\'t create the Notion tasks: Notion no longer accepts the Discubot integration\'s token.'],
    [{ service: 'Notion', status: 403, code: 'restricted_resource' }, 'I couldn\'t create the Notion tasks: the Discubot integration isn\'t allowed to add pages to that database.'],
    [{ service: 'Notion', status: 400, code: 'validation_error' }, 'I couldn\'t create the Notion tasks: Notion refused the page: a column of the database doesn\'t match what Discubot fills in.'],
    [{ service: 'Notion', status: 503, kind: 'transient' }, 'I couldn\'t create the Notion tasks: Notion kept failing, so I gave up after several tries.'],
    [{ stage: 'task_creation' }, 'I couldn\'t save the tasks: something unexpected went wrong.'],
    [{ stage: 'thread_building', service: 'Slack', code: 'not_in_channel' }, 'I couldn\'t read this thread: the bot isn\'t in this channel; invite it with /invite.'],
    [{ stage: 'thread_building', service: 'Slack', code: 'token_revoked' }, 'I couldn\'t read this thread: Slack no longer accepts Discubot\'s token.'],
    [{ stage: 'thread_building', service: 'Slack', code: 'missing_scope' }, 'I couldn\'t read this thread: the Slack app lacks a permission it needs; reinstall it with the scopes Discubot asks for.'],
    [{ stage: 'thread_building', service: 'Slack', code: 'thread_not_found' }, 'I couldn\'t read this thread: the thread or its first message was deleted.'],
    [{ stage: 'thread_building', service: 'Figma', status: 403 }, 'I couldn\'t read this thread: Figma doesn\'t accept Discubot\'s access token, or it has no access to this file.'],
    [{ stage: 'ai_analysis', service: 'Anthropic', status: 401 }, 'I couldn\'t analyze this thread: the AI provider doesn\'t accept Discubot\'s API key.'],
    [{ stage: 'ai_analysis', service: 'OpenAI-compatible endpoint api.openai.com', status: 429, code: 'insufficient_quota' }, 'I couldn\'t analyze this thread: the AI provider\'s account is out of credit.'],
    [{ stage: 'ai_analysis', service: 'Anthropic', status: 404 }, 'I couldn\'t analyze this thread: the AI model set for this source isn\'t available.'],
    [{ stage: 'ai_analysis', message: 'Model output did not match the analysis schema: tasks.0.title' }, 'I couldn\'t analyze this thread: the AI\'s answer didn\'t have the shape Discubot needs.'],
    [{ stage: 'ai_analysis', kind: 'transient', message: 'timeout' }, 'I couldn\'t analyze this thread: the AI provider kept failing, so I gave up after several tries.'],
    [{ stage: 'notification', service: 'Slack', code: 'is_archived' }, 'I couldn\'t post the summary here: the channel is archived.'],
    [{ stage: 'config_loading', message: 'Source config "Acme": Secrets need re-entry: they were encrypted with a different key' }, 'I couldn\'t load the settings of this source: its secrets must be entered again in Discubot.'],
    [{ stage: 'ai_analysis', code: 'poison_job' }, 'I couldn\'t analyze this thread: it stopped the server every time it ran, so I gave up.'],
  ])('%o → %s', (over, sentence) => {
    expect(describeFailure(failure(over))).toBe(sentence)
  })

  it('never shows the engineer\'s message, which may hold ids and internals', () => {
    expect(describeFailure(failure({ service: 'Notion', status: 418, message: 'Notion rejected the page (418 teapot): secret-internal-detail' }))).not.toContain('secret-internal-detail')
  })
})

describe('threadUnreachable', () => {
  it('is true when the source itself refused the thread, so a note there would fail too', () => {
    expect(threadUnreachable(failure({ stage: 'thread_building', service: 'Slack', code: 'channel_not_found' }), 'slack')).toBe(true)
    expect(threadUnreachable(failure({ stage: 'thread_building', service: 'Slack', code: 'invalid_auth' }), 'slack')).toBe(true)
    expect(threadUnreachable(failure({ stage: 'thread_building', service: 'Figma', status: 404 }), 'figma')).toBe(true)
  })

  it('is false for another service, a transient failure, or a Slack error that leaves the thread reachable', () => {
    expect(threadUnreachable(failure({ service: 'Notion', status: 404 }), 'slack')).toBe(false)
    expect(threadUnreachable(failure({ service: 'Slack', code: 'channel_not_found', kind: 'transient' }), 'slack')).toBe(false)
    expect(threadUnreachable(failure({ service: 'Slack', code: 'msg_too_long' }), 'slack')).toBe(false)
    expect(threadUnreachable(failure({ service: 'Slack', code: 'channel_not_found' }), 'figma')).toBe(false)
  })
})

describe('refusedCredential', () => {
  it('names the service for a 401/403 from any of them, and Slack\'s token codes', () => {
    expect(refusedCredential(failure({ service: 'Notion', status: 401 }))).toBe('Notion')
    expect(refusedCredential(failure({ service: 'Figma', status: 403 }))).toBe('Figma')
    expect(refusedCredential(failure({ service: 'Slack', code: 'token_revoked' }))).toBe('Slack')
    expect(refusedCredential(failure({ stage: 'ai_analysis', service: 'Anthropic', status: 401 }))).toBe('Anthropic')
    expect(refusedCredential(failure({ stage: 'ai_analysis', status: 403 }))).toBe('The AI provider')
  })

  it('is undefined for other refusals and for transient failures', () => {
    expect(refusedCredential(failure({ service: 'Notion', status: 404 }))).toBeUndefined()
    expect(refusedCredential(failure({ service: 'Slack', code: 'channel_not_found' }))).toBeUndefined()
    expect(refusedCredential(failure({ service: 'Notion', status: 401, kind: 'transient' }))).toBeUndefined()
  })
})
