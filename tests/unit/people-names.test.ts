// People by name: the assignee text an analyzer writes → one person of the thread, the CSV an
// owner imports, Slack's users.info answer as a profile, and the names the analyzers read.
import { describe, expect, it } from 'vitest'
import { matchAssignee, type AssigneeCandidate } from '#layers/discubot/server/people/assignee-match'
import { csvFields, MAX_IMPORT_ROWS, parsePeopleCsv } from '#layers/discubot/server/people/csv-import'
import { participantIds } from '#layers/discubot/server/people/thread-people'
import { toSourceUserProfile } from '#layers/discubot/server/sources/slack/users'
import { analyzeOffline } from '#layers/discubot/server/analysis/offline'
import { buildPrompt } from '#layers/discubot/server/analysis/prompt'
import type { ThreadData } from '#layers/discubot/shared/schemas'

const person = (sourceUserId: string, realName: string | null, extra: Partial<AssigneeCandidate> = {}): AssigneeCandidate =>
  ({ sourceUserId, realName, displayName: null, email: null, isBot: false, ...extra })

const dana = person('U0DANA', 'Dana Lee', { displayName: 'dana', email: 'dana.lee@acme.test' })
const lee = person('U0LEE', 'Lee Park', { displayName: 'lee' })
const bot = person('U0BOT', 'Dana Bot', { isBot: true })

describe('matchAssignee', () => {
  it('finds the thread\'s person by full name, first name, handle, id or e-mail', () => {
    for (const text of ['Dana Lee', 'dana lee', '  Dana   Lee ', 'Dana', '@dana', 'U0DANA', 'dana.lee@acme.test', 'dana.lee']) {
      expect(matchAssignee(text, [dana, lee, bot]), text).toBe(dana)
    }
  })

  it('names nobody when two people fit, when nobody does, or for a bot', () => {
    const danaLee = person('U1', 'Dana Lee')
    const danaKim = person('U2', 'Dana Kim')
    expect(matchAssignee('Dana', [danaLee, danaKim])).toBeUndefined()
    // The full name still tells them apart.
    expect(matchAssignee('Dana Kim', [danaLee, danaKim])).toBe(danaKim)
    expect(matchAssignee('Marketing team', [dana, lee])).toBeUndefined()
    expect(matchAssignee('Dana Bot', [bot])).toBeUndefined()
    expect(matchAssignee(null, [dana])).toBeUndefined()
    expect(matchAssignee('', [dana])).toBeUndefined()
  })

  it('prefers an exact name (or handle) over someone whose first name it is', () => {
    const lee2 = person('U0LEE2', 'Lee')
    expect(matchAssignee('Lee', [person('U0LEE', 'Lee Park'), lee2])).toBe(lee2)
    expect(matchAssignee('dana', [dana, person('U2', 'Dana Kim')])).toBe(dana)
  })
})

describe('parsePeopleCsv', () => {
  it('reads ids or e-mails with a Notion e-mail (or none), header optional, quotes allowed', () => {
    const { rows, problems } = parsePeopleCsv('\uFEFFsource_user,notion_email\r\nU0DANA,Dana.Lee@Acme.test\n"dana@slack.test", \n\nU0LEE,"lee@acme.test"\n')
    expect(problems).toEqual([])
    expect(rows).toEqual([
      { line: 2, sourceUser: 'U0DANA', notionEmail: 'dana.lee@acme.test' },
      { line: 3, sourceUser: 'dana@slack.test', notionEmail: null },
      { line: 5, sourceUser: 'U0LEE', notionEmail: 'lee@acme.test' },
    ])
    expect(parsePeopleCsv('U0DANA,dana@acme.test').rows).toHaveLength(1)
  })

  it('names every line that is wrong', () => {
    const { problems } = parsePeopleCsv('source_user,notion_email\nU0DANA\n,x@acme.test\nU0LEE,not-an-email\nU0DANA,d@acme.test\nu0dana,e@acme.test\n"open,x@acme.test')
    expect(problems).toEqual([
      'line 2: expected 2 columns (source_user,notion_email), found 1',
      'line 3: source_user is empty',
      'line 4: "not-an-email" is not an e-mail address',
      'line 6: u0dana is already on line 5',
      'line 7: a quote is not closed',
    ])
  })

  it('caps an import', () => {
    const csv = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `U${i},p${i}@acme.test`).join('\n')
    expect(parsePeopleCsv(csv).problems).toEqual([`at most ${MAX_IMPORT_ROWS} people per import, found ${MAX_IMPORT_ROWS + 1}`])
  })

  it('splits fields the RFC 4180 way', () => {
    expect(csvFields('"Lee, Park","say ""hi"""')).toEqual(['Lee, Park', 'say "hi"'])
  })
})

describe('Slack users.info as a profile', () => {
  it('takes the profile\'s names, a lower-cased e-mail and the 72 px image', () => {
    expect(toSourceUserProfile('U0DANA', { name: 'dana', real_name: 'Dana L.', profile: { real_name: 'Dana Lee', display_name: '', email: 'Dana.Lee@Acme.test', image_72: 'https://a/72.png', image_48: 'https://a/48.png' } }))
      .toEqual({ sourceUserId: 'U0DANA', displayName: 'dana', realName: 'Dana Lee', email: 'dana.lee@acme.test', avatarUrl: 'https://a/72.png', isBot: false })
  })

  it('has no e-mail without users:read.email, and Slackbot is a bot', () => {
    expect(toSourceUserProfile('USLACKBOT', { name: 'slackbot', profile: { real_name: 'Slackbot' } })).toMatchObject({ email: null, isBot: true, realName: 'Slackbot' })
  })
})

const thread: ThreadData = {
  fetchedAt: '2026-11-24T10:00:00.000Z',
  messages: [
    { id: '1', author: 'Lee Park', authorId: 'U0LEE', text: '<@U0BOT> <@U0DANA> can you update the docs?', timestamp: '2026-11-24T10:00:00.000Z' },
    { id: '2', author: 'Dana Lee', authorId: 'U0DANA', text: 'Sure. I\'ll also ping <@U0SAM|sam> about the release.', timestamp: '2026-11-24T10:01:00.000Z' },
  ],
  people: [{ id: 'U0LEE', name: 'Lee Park' }, { id: 'U0DANA', name: 'Dana Lee' }, { id: 'U0SAM', name: 'Sam Stone' }, { id: 'U0BOT', name: 'Discubot', isBot: true }],
}

describe('names in analysis', () => {
  it('finds every author and mentioned user id once', () => {
    expect(participantIds(thread)).toEqual(['U0LEE', 'U0DANA', 'U0BOT', 'U0SAM'])
  })

  it('gives the offline analyzer full names for mentions and authors', () => {
    const analysis = analyzeOffline({ title: 'Docs', sourceType: 'slack', thread })
    expect(analysis.tasks.map(t => [t.title, t.assignee])).toEqual([['Update the docs', 'Dana Lee'], ['Also ping Sam Stone about the release', 'Dana Lee']])
    expect(JSON.stringify(analysis)).not.toMatch(/U0(DANA|LEE|SAM)/)
  })

  it('shows the model names, never ids, and lists the people so an assignee is written as listed', () => {
    const prompt = buildPrompt({ title: 'Docs', sourceType: 'slack', thread })
    expect(prompt).toContain('People: Lee Park, Dana Lee, Sam Stone')
    expect(prompt).toContain('@Dana Lee can you update the docs?')
    expect(prompt).toContain('ping @Sam Stone about')
    expect(prompt).not.toMatch(/U0(DANA|LEE|SAM)/)
  })
})
