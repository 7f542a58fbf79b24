import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyzeOffline, offlineAnalyzer } from '#layers/discubot/server/analysis/offline'
import { analysisSchema } from '#layers/discubot/shared/schemas'
import type { AnalysisInput } from '#layers/discubot/server/analysis/types'
import { loadThreadFixtures } from '../support/thread-fixtures'

const fixtures = loadThreadFixtures()

function thread(...texts: (string | { text: string, author?: string, authorId?: string, isBot?: boolean })[]): AnalysisInput {
  return {
    title: 'A thread',
    sourceType: 'slack',
    thread: {
      fetchedAt: '2026-11-24T10:00:00.000Z',
      messages: texts.map((t, i) => {
        const m = typeof t === 'string' ? { text: t } : t
        return { id: String(i), author: m.author ?? 'Dana Kim', authorId: m.authorId ?? 'U01DANA', text: m.text, timestamp: '2026-11-24T10:00:00.000Z', isBot: m.isBot }
      }),
    },
  }
}

describe('offline analyzer on realistic threads', () => {
  it('has the fixtures the brief asks for (Slack and Figma, a checklist, a long one, one without asks)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5)
    expect(fixtures.some(f => f.input.sourceType === 'figma')).toBe(true)
    expect(fixtures.some(f => f.expected.tasks.length === 0)).toBe(true)
    expect(Math.max(...fixtures.map(f => f.input.thread.messages.length))).toBeGreaterThanOrEqual(40)
  })

  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      const analysis = analyzeOffline(fixture.input)

      it('returns a valid analysis', () => {
        expect(analysisSchema.parse(analysis)).toEqual(analysis)
      })

      it('finds every expected action item, with its assignee, priority and due date', () => {
        for (const want of fixture.expected.tasks) {
          const task = analysis.tasks.find(t => t.title.toLowerCase().includes(want.title.toLowerCase()))
          expect(task, `task "${want.title}" in ${JSON.stringify(analysis.tasks.map(t => t.title))}`).toBeDefined()
          if (want.assignee !== undefined) expect(task!.assignee, want.title).toBe(want.assignee)
          if (want.priority) expect(task!.priority, want.title).toBe(want.priority)
          if (want.dueDate !== undefined) expect(task!.dueDate ?? null, want.title).toBe(want.dueDate)
        }
      })

      it('invents nothing: exactly the expected tasks, each listed as an action item', () => {
        expect(analysis.tasks.map(t => t.title)).toHaveLength(fixture.expected.tasks.length)
        expect(analysis.actionItems).toHaveLength(analysis.tasks.length)
        for (const absent of fixture.expected.absentTitles ?? []) {
          expect(analysis.tasks.some(t => t.title.toLowerCase().includes(absent.toLowerCase()))).toBe(false)
        }
      })

      it('summarises who talked, how much and about what', () => {
        for (const part of fixture.expected.summaryIncludes ?? []) expect(analysis.summary).toContain(part)
      })
    })
  }

  it('is deterministic', async () => {
    for (const fixture of fixtures) {
      expect(await offlineAnalyzer.analyze(fixture.input, {})).toEqual(analyzeOffline(fixture.input))
    }
  })
})

describe('offline analyzer rules', () => {
  it('merges the same ask made twice and keeps the highest priority', () => {
    const analysis = analyzeOffline(thread('We need to update the pricing page.', 'Can you update the pricing page ASAP?'))
    expect(analysis.tasks).toHaveLength(1)
    expect(analysis.tasks[0]).toMatchObject({ title: 'Update the pricing page', priority: 'urgent' })
  })

  it('ignores bot messages, however ask-like', () => {
    expect(analyzeOffline(thread({ text: 'Please review the 3 tasks I created.', isBot: true, author: 'Discubot' })).tasks).toEqual([])
  })

  it('ignores questions that are not asks, and statements', () => {
    const analysis = analyzeOffline(thread(
      'Should we move the standup?',
      'Do we need to keep the legacy endpoint?',
      'The deploy went out at 3pm.',
      'We should be fine with the current limits.',
    ))
    expect(analysis.tasks).toEqual([])
  })

  it('does not turn the trigger ("make tasks of this") into a task', () => {
    expect(analyzeOffline(thread('<@U0BOT> can you create tasks from this thread?', '@discubot summarize this please', '<@U0BOT> please log these as tickets')).tasks).toEqual([])
  })

  it('names assignees from Slack mentions, @handles, "Name will", "Name to" and "assign to"', () => {
    const analysis = analyzeOffline(thread(
      { text: 'Kicking off the migration.', author: 'Lee Park', authorId: 'U02LEE' },
      '<@U02LEE> could you export the audit log?',
      'Lee will rotate the signing secret.',
      'Lee to archive the old channel.',
      'TODO: update the runbook, assign to Lee',
      '<@U09NEW|raj> please check the backup job',
    ))
    expect(analysis.tasks.map(t => [t.title, t.assignee])).toEqual([
      ['Export the audit log', 'Lee Park'],
      ['Rotate the signing secret', 'Lee Park'],
      ['Archive the old channel', 'Lee Park'],
      ['Update the runbook', 'Lee Park'],
      ['Check the backup job', 'raj'],
    ])
  })

  it('takes an ISO date as the due date, and leaves "by Friday" in the title', () => {
    const analysis = analyzeOffline(thread('Please ship the invoice export by 2026-12-01.', 'Can you send the contract by Friday?'))
    expect(analysis.tasks.map(t => [t.title, t.dueDate])).toEqual([
      ['Ship the invoice export', '2026-12-01'],
      ['Send the contract by Friday', null],
    ])
  })

  it('reads priority from the words used', () => {
    const analysis = analyzeOffline(thread(
      'Urgent: can you restart the worker pool?',
      'We need to fix the login blocker.',
      'No rush, but could you tidy the README?',
    ))
    expect(analysis.tasks.map(t => t.priority)).toEqual(['urgent', 'high', 'low'])
  })

  it('yields no tasks and a summary for an empty thread', () => {
    const analysis = analyzeOffline(thread())
    expect(analysis).toMatchObject({ tasks: [], actionItems: [] })
    expect(analysis.summary).toContain('0 messages')
  })

  it('always returns a valid analysis, whatever the text (markup, huge, unicode)', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('<@U1>', '<@U2|lee>', '<!here>', '<#C1|general>', '<https://x.test|link>', '&amp;', '- [ ] ', '- [x] ', '\n', 'TODO: ', 'can you ', 'please ', 'we need to ', '?', '.', '2026-12-01', '```code```', 'Dana will ', 'assign to Lee'),
    )
    fc.assert(fc.property(fc.array(fc.array(piece, { maxLength: 30 }).map(parts => parts.join('')), { maxLength: 12 }), (texts) => {
      const analysis = analyzeOffline(thread(...texts))
      expect(analysisSchema.safeParse(analysis).success).toBe(true)
      expect(analysis.actionItems).toHaveLength(analysis.tasks.length)
    }), { numRuns: 300 })
  })

  it('finds nothing in text without any ask form', () => {
    const word = fc.constantFrom('the', 'deploy', 'went', 'fine', 'yesterday', 'metrics', 'look', 'good', 'Dana', 'agreed', 'release', 'is', 'green', 'thanks')
    const sentence = fc.array(word, { minLength: 1, maxLength: 12 }).map(words => `${words.join(' ')}.`)
    fc.assert(fc.property(fc.array(sentence, { maxLength: 10 }), (texts) => {
      expect(analyzeOffline(thread(...texts)).tasks).toEqual([])
    }), { numRuns: 200 })
  })
})
