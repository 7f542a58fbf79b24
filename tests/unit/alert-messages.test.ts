// The words and bytes of what Discubot tells people: alert messages for Slack and the webhook, the
// webhook's signature (checked against an independently computed HMAC), the reactions each state
// wants, and the failure note as each source shows it.
import { describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import { credentialsRefusedMessage, failedJobsMessage, queueStuckMessage, slackAlertText, testMessage, webhookAlertBody } from '#layers/discubot/server/feedback/alerts/message'
import { newWebhookSecret, signAlertBody } from '#layers/discubot/server/feedback/alerts/webhook'
import { reactionPlan } from '#layers/discubot/server/feedback/reactions'
import { formatSlackReply } from '#layers/discubot/server/sources/slack/reply'
import { formatFigmaReply, isFigmaReplyFor, isOwnFigmaReply } from '#layers/discubot/server/sources/figma/reply'

const BASE = 'https://discubot.example.com/'
const since = new Date('2026-11-23T10:00:00.000Z')
const until = new Date('2026-11-23T10:05:00.000Z')

describe('alert messages', () => {
  it('failed jobs: the count, the window, the top errors and a link to the Failed view of those days', () => {
    const message = failedJobsMessage({ count: 20, since, until, firstCreatedAt: new Date('2026-11-22T23:59:00Z'), topErrors: [{ error: 'task_creation failed: Notion rejected the page (400 validation_error): <Priority>', count: 18 }, { error: 'x'.repeat(400), count: 2 }] }, BASE)
    expect(message.title).toBe('20 jobs failed between 10:00 UTC and 10:05 UTC')
    expect(message.link.url).toBe('https://discubot.example.com/jobs?status=failed&from=2026-11-22&to=2026-11-23')
    expect(message.details[0]).toBe('18× task_creation failed: Notion rejected the page (400 validation_error): <Priority>')
    expect(message.details[1]!.length).toBeLessThan(310)
    expect(slackAlertText('failed_jobs', 'Acme & Co', message)).toBe([
      ':rotating_light: *20 jobs failed between 10:00 UTC and 10:05 UTC* (Discubot, Acme &amp; Co)',
      '• 18× task_creation failed: Notion rejected the page (400 validation_error): &lt;Priority&gt;',
      `• 2× ${'x'.repeat(299)}…`,
      '<https://discubot.example.com/jobs?status=failed&from=2026-11-22&to=2026-11-23|Open the failed jobs>',
    ].join('\n'))
    expect(failedJobsMessage({ count: 1, since, until, firstCreatedAt: null, topErrors: [] }, BASE).title).toBe('1 job failed between 10:00 UTC and 10:05 UTC')
  })

  it('the webhook body carries the alert id (same on every retry), its type, the team and the facts', () => {
    const message = queueStuckMessage({ waiting: 3, dueSince: since, jobId: 'job-1' }, BASE)
    expect(webhookAlertBody({ id: 'queue-stuck:team-1:job-1', type: 'queue_stuck', team: { id: 'team-1', name: 'Acme' }, createdAt: until.toISOString() }, message)).toEqual({
      id: 'queue-stuck:team-1:job-1',
      type: 'queue_stuck',
      team: { id: 'team-1', name: 'Acme' },
      createdAt: '2026-11-23T10:05:00.000Z',
      title: 'The queue stopped moving',
      details: ['3 jobs are waiting; the oldest has been due since 10:00 UTC and no worker picked it up.'],
      link: 'https://discubot.example.com/jobs?status=pending',
      waiting: 3,
      dueSince: '2026-11-23T10:00:00.000Z',
      oldestJobId: 'job-1',
    })
  })

  it('refused credentials name the service and the source, and link the failed job', () => {
    const message = credentialsRefusedMessage({ service: 'Notion', configName: 'Acme Slack', detail: 'Notion rejected the page (401 unauthorized): API token is invalid.', jobId: 'job-9' }, BASE)
    expect(message.title).toBe('Notion refused Discubot\'s credentials for the source "Acme Slack"')
    expect(message.link.url).toBe('https://discubot.example.com/jobs/job-9')
    expect(testMessage('Dana', BASE).details).toEqual(['Alerts of this team arrive here (sent by Dana).'])
  })
})

describe('the webhook signature', () => {
  it('is v1= hex HMAC-SHA256 of "<timestamp>.<body>" with the secret', () => {
    const body = '{"id":"test:1","type":"test"}'
    expect(signAlertBody('whsec_example', '1700000000', body)).toBe('v1=7f4188a98a98211127ec81c3ba413c31b2c9b502ccb79b5b20781be358369e8c')
    expect(signAlertBody('whsec_other', '1700000000', body)).not.toBe(signAlertBody('whsec_example', '1700000000', body))
    expect(signAlertBody('whsec_example', '1700000001', body)).not.toBe(signAlertBody('whsec_example', '1700000000', body))
  })

  it('secrets are new every time and long enough', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()]
    expect(a).toMatch(/^whsec_[\w-]{43}$/)
    expect(a).not.toBe(b)
    expect(createHmac('sha256', a).update('x').digest('hex')).toHaveLength(64)
  })
})

describe('reactions', () => {
  it('each state wants its reaction and takes the others of the chain off, the new one first', () => {
    expect(reactionPlan('working')).toEqual({ add: ['eyes'], remove: [] })
    expect(reactionPlan('completed')).toEqual({ add: ['white_check_mark'], remove: ['eyes', 'x'] })
    expect(reactionPlan('failed')).toEqual({ add: ['x'], remove: ['eyes'] })
  })
})

describe('the failure note', () => {
  const note = { kind: 'note' as const, marker: 'discubot-failure:job-1', text: 'I couldn\'t create the Notion tasks: the database isn\'t shared with the Discubot integration.', link: { url: 'https://d.example.com/jobs/job-1', label: 'Open the job in Discubot' } }

  it('in Slack: one line with a warning, the words escaped, and the link', () => {
    expect(formatSlackReply(note)).toBe(':warning: I couldn\'t create the Notion tasks: the database isn\'t shared with the Discubot integration. <https://d.example.com/jobs/job-1|Open the job in Discubot>')
    expect(formatSlackReply({ ...note, text: 'Fixed <now> & done', resolved: true })).toBe(':white_check_mark: Fixed &lt;now&gt; &amp; done <https://d.example.com/jobs/job-1|Open the job in Discubot>')
  })

  it('in Figma: plain text, the link, and its own marker line, never the reply\'s', () => {
    const text = formatFigmaReply(note)
    expect(text).toBe(`${note.text}\nOpen the job in Discubot: https://d.example.com/jobs/job-1\n\n[discubot:discubot-failure:job-1]`)
    expect(isFigmaReplyFor(text, 'discubot-failure:job-1')).toBe(true)
    expect(isFigmaReplyFor(text, 'discubot:job-1')).toBe(false)
    expect(isOwnFigmaReply(text)).toBe(true)
  })
})
