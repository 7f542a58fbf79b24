// The reply each source posts: readable, safe for the source's markup, and carrying the marker.
import { describe, expect, it } from 'vitest'
import { escapeSlackText, formatSlackReply, slackReplyMetadata } from '#layers/discubot/server/sources/slack/reply'
import { formatFigmaReply, isFigmaReplyFor } from '#layers/discubot/server/sources/figma/reply'
import { compareSlackTs, slackTsToIso } from '#layers/discubot/server/sources/slack/thread'

const reply = {
  marker: 'job-123',
  summary: 'Fix the CTA <now> & ship',
  tasks: [
    { title: 'Fix | CTA', url: 'https://www.notion.so/page-1' },
    { title: 'Update\ndocs', url: 'https://discubot.test/tasks/2?a=1|2' },
  ],
}

describe('Slack reply', () => {
  it('lists the summary and each task as <url|title>, escaped', () => {
    const text = formatSlackReply(reply)
    expect(text).toContain('Fix the CTA &lt;now&gt; &amp; ship')
    expect(text).toContain('• <https://www.notion.so/page-1|Fix | CTA>')
    expect(text).toContain('• <https://discubot.test/tasks/2?a=1%7C2|Update docs>')
    expect(formatSlackReply({ ...reply, tasks: [] })).toContain('No tasks detected.')
  })

  it('stays under Slack\'s 40,000 characters', () => {
    const huge = { marker: 'm', summary: 'x'.repeat(100_000), tasks: Array.from({ length: 50 }, (_, i) => ({ title: 't'.repeat(300), url: `https://x.test/${i}` })) }
    expect(formatSlackReply(huge).length).toBeLessThan(40_000)
  })

  it('tags the message with the marker in metadata', () => {
    expect(slackReplyMetadata('job-123')).toEqual({ event_type: 'discubot_reply', event_payload: { marker: 'job-123' } })
    expect(escapeSlackText('a<b>&c')).toBe('a&lt;b&gt;&amp;c')
  })
})

describe('Figma reply', () => {
  it('ends with the marker line and lists tasks with their links', () => {
    const text = formatFigmaReply(reply)
    expect(text.endsWith('[discubot:job-123]')).toBe(true)
    expect(text).toContain('• Update docs: https://discubot.test/tasks/2?a=1|2')
    expect(isFigmaReplyFor(text, 'job-123')).toBe(true)
    expect(isFigmaReplyFor(text, 'job-12')).toBe(false)
    expect(isFigmaReplyFor('someone quoting [discubot:job-123] mid-text, then more', 'job-123')).toBe(false)
    expect(formatFigmaReply({ ...reply, marker: 'discubot:job-9' }).endsWith('[discubot:job-9]')).toBe(true)
  })
})

describe('Slack timestamps', () => {
  it('orders by seconds then micros, exactly', () => {
    const sorted = ['1700000001.000001', '1700000000.000010', '1700000000.000002', '999999999.999999'].sort(compareSlackTs)
    expect(sorted).toEqual(['999999999.999999', '1700000000.000002', '1700000000.000010', '1700000001.000001'])
    expect(compareSlackTs('1700000000.000100', '1700000000.000100')).toBe(0)
  })

  it('converts to ISO with millisecond precision', () => {
    expect(slackTsToIso('1700000000.123456')).toBe('2023-11-14T22:13:20.123Z')
  })
})
