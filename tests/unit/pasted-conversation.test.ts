// A pasted conversation: the text a person pastes becomes messages (the page parses as they type),
// and the body of POST /api/discussions is bounded and says in words what is wrong.
import { describe, expect, it } from 'vitest'
import { MAX_PASTED_MESSAGES, parseConversation, pastedConversationSchema, UNNAMED_AUTHOR } from '#layers/discubot/shared/conversation'
import { SAMPLE_CONVERSATIONS } from '#layers/discubot/shared/sample-conversations'
import { describeZodError } from '#layers/discubot/server/sources/rejection'
import { analyzeOffline } from '#layers/discubot/server/analysis/offline'

const problemOf = (body: unknown) => {
  const result = pastedConversationSchema.safeParse(body)
  return result.success ? null : describeZodError('Conversation', result.error)
}

describe('parseConversation', () => {
  it('turns `Name: text` lines into one message per turn, continuation lines included', () => {
    expect(parseConversation('Dana Lee: the CTA is hidden\non small screens\n\nLee: can you fix it?\n')).toEqual([
      { author: 'Dana Lee', text: 'the CTA is hidden\non small screens' },
      { author: 'Lee', text: 'can you fix it?' },
    ])
  })

  it('keeps "TODO:", "Note:", links and sentences with a colon inside the message', () => {
    const messages = parseConversation('Maya: plan for today\nTODO: add the analytics event\nNote: ship after QA\nSee https://example.com/x\nThe plan: ship Friday')
    expect(messages).toHaveLength(1)
    expect(messages[0]!.text).toBe('plan for today\nTODO: add the analytics event\nNote: ship after QA\nSee https://example.com/x\nThe plan: ship Friday')
  })

  it('reads Slack\'s copied headers ("Name  10:42 AM") and bracketed times', () => {
    expect(parseConversation('Dana Lee  10:42 AM\nCan you fix the footer?\n[10:43] Lee: on it')).toEqual([
      { author: 'Dana Lee', text: 'Can you fix the footer?' },
      { author: 'Lee', text: 'on it' },
    ])
  })

  it('makes a free text one message from someone, and drops blank turns', () => {
    expect(parseConversation('We need to update the docs.\nAnd the changelog.')).toEqual([{ author: UNNAMED_AUTHOR, text: 'We need to update the docs.\nAnd the changelog.' }])
    expect(parseConversation('Dana:   \nLee: hi')).toEqual([{ author: 'Lee', text: 'hi' }])
    expect(parseConversation('  \n\n')).toEqual([])
  })

  it('parses every built-in sample into several turns, and the offline analyzer finds their asks', () => {
    for (const sample of SAMPLE_CONVERSATIONS) {
      const messages = parseConversation(sample.text)
      expect(messages.length, sample.id).toBeGreaterThan(3)
      const analysis = analyzeOffline({ title: sample.title, sourceType: 'manual', thread: { fetchedAt: '', messages: messages.map((m, i) => ({ id: String(i), author: m.author, text: m.text, timestamp: '' })) } })
      if (sample.id === 'design-review') expect(analysis.tasks).toEqual([])
      else expect(analysis.tasks.length, sample.id).toBeGreaterThanOrEqual(3)
    }
  })
})

describe('the body of POST /api/discussions', () => {
  it('refuses an empty paste, and one whose messages are all blank, in words', () => {
    expect(problemOf({ messages: [] })).toBe('Conversation: messages: paste at least one message')
    expect(problemOf({ messages: [{ author: 'Dana', text: '  ' }] })).toBe('Conversation: messages: paste at least one message')
    expect(problemOf({})).toMatch(/^Conversation: messages: /)
  })

  it('names the limits: 5,000 messages, 1,000,000 characters', () => {
    const many = Array.from({ length: MAX_PASTED_MESSAGES + 1 }, (_, i) => ({ author: 'A', text: `m${i}` }))
    expect(problemOf({ messages: many })).toBe('Conversation: messages: at most 5,000 messages per conversation')
    expect(problemOf({ messages: many.slice(1) })).toBeNull()
    expect(problemOf({ messages: [{ author: 'A', text: 'x'.repeat(600_000) }, { author: 'B', text: 'y'.repeat(400_001) }] })).toBe('Conversation: messages: a conversation holds at most 1,000,000 characters')
  })

  it('trims what it keeps and names an unnamed author', () => {
    expect(pastedConversationSchema.parse({ title: '  Triage ', messages: [{ author: ' ', text: ' fix it ' }, { author: 'Lee', text: '' }] }))
      .toEqual({ title: 'Triage', messages: [{ author: UNNAMED_AUTHOR, text: 'fix it' }] })
  })
})
