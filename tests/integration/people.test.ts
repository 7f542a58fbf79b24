// The people of a team's threads on a real libSQL file: names resolved through the real Slack
// adapter against the stand-in (cached, refreshed daily, failures leaving ids), Figma people taken
// from the comments, matching to Notion people by e-mail (a same name only suggested), and each
// task's assignee resolved to the Notion person the People page maps.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTempDb, type TempDb } from '../support/temp-db'
import { testSettings } from '../support/engine-fixtures'
import { slackPlatformError, startSlackStandin, type SlackStandin } from '../standins/slack'
import { rateLimited } from '../standins/http-standin'
import { createDiscubotTeam } from '#layers/discubot/collections/teams/server/database/queries'
import {
  getDiscubotSourceUsersByIdentity,
  matchSourceUsersToNotion,
  recordSourceUserProfile,
  sourceUserRowId,
  updateSourceUserNotionPerson,
  type SourceUserScope,
} from '#layers/discubot/collections/people/server/database/queries'
import { replaceNotionUsers, type NotionPersonProfile } from '#layers/discubot/collections/people/server/database/notion-users'
import { resolveThreadPeople, SOURCE_USER_REFRESH_MS } from '#layers/discubot/server/people/thread-people'
import { resolveTaskAssignees, SINK_PEOPLE_REFRESH_MS, SINK_PEOPLE_RETRY_MS } from '#layers/discubot/server/people/task-assignees'
import { slackAdapter } from '#layers/discubot/server/sources/slack/adapter'
import { figmaAdapter } from '#layers/discubot/server/sources/figma/adapter'
import type { SourceCallContext } from '#layers/discubot/server/sources/types'
import type { TaskSink } from '#layers/discubot/server/sinks/types'
import { PermanentError } from '#layers/discubot/server/utils/errors'
import type { Write } from '#layers/discubot/server/utils/db'
import type { DiscubotConfig } from '#layers/discubot/collections/configs/server/database/schema'
import type { DetectedTask, SlackThreadRef, ThreadData } from '#layers/discubot/shared/schemas'

let t: TempDb
let slack: SlackStandin
let teamId: string

beforeAll(async () => {
  slack = await startSlackStandin()
  slack.state.addUser({ id: 'U0LEE', name: 'lee', realName: 'Lee Park', email: 'lee.park@acme.test' })
  slack.state.addUser({ id: 'U0DANA', name: 'dana', realName: 'Dana Lee', displayName: 'dana', email: 'Dana.Lee@acme.test' })
  slack.state.addUser({ id: 'U0SAM', name: 'sam', realName: 'Sam Stone' })
})
afterAll(() => slack.stop())
beforeEach(async () => {
  t = await createTempDb()
  teamId = (await createDiscubotTeam({ name: 'Acme', slug: 'acme' })).id
  slack.faults.clear()
  slack.requests.length = 0
})
afterEach(() => t.cleanup())

const ref: SlackThreadRef = { kind: 'slack', workspaceId: 'T0STANDIN', channel: 'C1', threadTs: '1.0', messageTs: '1.0', userId: 'U0LEE' }
const scope: SourceUserScope = { teamId: '', source: 'slack', workspaceId: 'T0STANDIN' }
const call = (): SourceCallContext => ({
  config: { id: 'cfg', teamId, sourceType: 'slack', name: 'Slack' } as DiscubotConfig,
  secrets: { botToken: slack.state.token },
  settings: testSettings({ slackApiUrl: `${slack.url}/api/`, httpTimeoutMs: 1000 }),
})
const message = (id: string, authorId: string, text: string) => ({ id, author: authorId, authorId, text, timestamp: '2026-11-24T10:00:00.000Z' })
const slackThread: ThreadData = {
  fetchedAt: '2026-11-24T10:00:00.000Z',
  messages: [message('1.0', 'U0LEE', '<@U0DANA> can you update the docs?'), message('1.1', 'U0DANA', 'Sure, and <@U0SAM> reviews.'), message('1.2', 'U0GHOST', 'me too')],
}
const commit = (writes: Write[]) => writes.length ? t.db.batch(writes as [Write, ...Write[]]) : undefined
const resolve = async (now = new Date()) => {
  const result = await resolveThreadPeople({ teamId, sourceType: 'slack', ref, thread: slackThread, adapter: slackAdapter, call: call(), now })
  await commit(result.writes)
  return result
}
const lookedUp = () => slack.calls('users.info').map(c => c.args.user).sort()
const rows = async () => Object.fromEntries((await getDiscubotSourceUsersByIdentity({ ...scope, teamId }, ['U0LEE', 'U0DANA', 'U0SAM', 'U0GHOST'])).map(row => [row.sourceUserId, row]))

describe('names of a Slack thread', () => {
  it('names authors and mentioned people through users.info, and caches them with e-mails', async () => {
    const { thread, startedBy } = await resolve()
    expect(thread.messages.map(m => m.author)).toEqual(['Lee Park', 'Dana Lee', 'U0GHOST'])
    expect(thread.people?.map(p => p.name).sort()).toEqual(['Dana Lee', 'Lee Park', 'Sam Stone'])
    expect(startedBy).toBe('Lee Park')
    expect(lookedUp()).toEqual(['U0DANA', 'U0GHOST', 'U0LEE', 'U0SAM'])
    const cached = await rows()
    expect(cached.U0DANA).toMatchObject({ realName: 'Dana Lee', displayName: 'dana', email: 'dana.lee@acme.test', avatarUrl: expect.stringContaining('U0DANA'), fetchedAt: expect.any(Date) })
    // Slack has no such user: listed by id (an owner can still map it), asked again only after the refresh period.
    expect(cached.U0GHOST).toMatchObject({ realName: null, fetchedAt: expect.any(Date) })
  })

  it('uses the cache for a day, then looks people up again', async () => {
    const now = new Date()
    await resolve(now)
    slack.requests.length = 0
    const again = await resolve(new Date(now.getTime() + 60_000))
    expect(lookedUp()).toEqual([])
    expect(again.thread.messages.map(m => m.author)).toEqual(['Lee Park', 'Dana Lee', 'U0GHOST'])
    slack.requests.length = 0
    await resolve(new Date(now.getTime() + SOURCE_USER_REFRESH_MS + 60_000))
    expect(lookedUp()).toEqual(['U0DANA', 'U0GHOST', 'U0LEE', 'U0SAM'])
  })

  it('keeps the last known name when a refresh fails or is rate-limited', async () => {
    const now = new Date()
    await resolve(now)
    slack.requests.length = 0
    slack.faults.push(slackPlatformError('users.info', 'internal_error'), rateLimited('users.info', 60))
    const later = await resolve(new Date(now.getTime() + SOURCE_USER_REFRESH_MS + 60_000))
    expect(later.thread.messages.map(m => m.author)).toEqual(['Lee Park', 'Dana Lee', 'U0GHOST'])
    expect(slack.faults.pending).toBe(0)
    const cached = await rows()
    expect([cached.U0LEE?.realName, cached.U0DANA?.realName, cached.U0SAM?.realName]).toEqual(['Lee Park', 'Dana Lee', 'Sam Stone'])
  })

  it('asks again soon about someone a transient failure left undescribed', async () => {
    slack.faults.push(slackPlatformError('users.info', 'internal_error'))
    await resolve()
    const [failed] = slack.calls('users.info').map(c => String(c.args.user))
    expect((await rows())[failed!]).toMatchObject({ realName: null, fetchedAt: null })
    slack.requests.length = 0
    await resolve(new Date(Date.now() + 60_000))
    expect(lookedUp()).toEqual([failed])
    expect((await rows())[failed!]?.fetchedAt).toEqual(expect.any(Date))
  })

  it('takes Figma people from the comments, without any lookup', async () => {
    const thread: ThreadData = {
      fetchedAt: 'now',
      messages: [message('c1', '799', 'Can you fix the CTA?')],
      people: [{ id: '799', name: 'Lee', avatarUrl: 'https://figma.test/lee.png' }],
    }
    const figmaRef = { kind: 'figma' as const, fileKey: 'F1', rootCommentId: 'c1', commentId: 'c1', authorId: '799' }
    const result = await resolveThreadPeople({ teamId, sourceType: 'figma', ref: figmaRef, thread, adapter: figmaAdapter, call: call() })
    await commit(result.writes)
    expect(result.startedBy).toBe('Lee')
    const [row] = await getDiscubotSourceUsersByIdentity({ teamId, source: 'figma', workspaceId: '' }, ['799'])
    expect(row).toMatchObject({ displayName: 'Lee', avatarUrl: 'https://figma.test/lee.png' })
    // Seen again unchanged: nothing to write.
    expect((await resolveThreadPeople({ teamId, sourceType: 'figma', ref: figmaRef, thread, adapter: figmaAdapter, call: call() })).writes).toEqual([])
  })
})

const notionPeople: NotionPersonProfile[] = [
  { id: 'n-dana', name: 'Dana Lee', email: 'DANA.LEE@acme.test', avatarUrl: null },
  { id: 'n-sam', name: 'Sam Stone', email: 'sam@elsewhere.test', avatarUrl: null },
  { id: 'n-lee-1', name: 'Lee Park', email: null, avatarUrl: null },
]

describe('matching people to Notion', () => {
  beforeEach(async () => {
    await resolve()
  })
  const notionOf = async () => Object.fromEntries(Object.entries(await rows()).map(([id, row]) => [id, [row.notionUserId, row.notionMatch, row.suggestedNotionUserId]]))

  it('applies an e-mail match and only suggests a same-name person', async () => {
    await commit([...replaceNotionUsers(teamId, 'key-1', notionPeople, new Date()), ...matchSourceUsersToNotion(teamId)])
    expect(await notionOf()).toEqual({
      U0DANA: ['n-dana', 'email', 'n-dana'],
      U0LEE: [null, null, 'n-lee-1'],
      U0SAM: [null, null, 'n-sam'],
      U0GHOST: [null, null, null],
    })
  })

  it('suggests nobody when two Notion people share the name, and unmatches someone who left', async () => {
    await commit([...replaceNotionUsers(teamId, 'key-1', [...notionPeople, { id: 'n-lee-2', name: 'Lee Park', email: null, avatarUrl: null }], new Date()), ...matchSourceUsersToNotion(teamId)])
    expect((await notionOf()).U0LEE).toEqual([null, null, null])
    await commit([...replaceNotionUsers(teamId, 'key-1', notionPeople.slice(1), new Date(Date.now() + 1000)), ...matchSourceUsersToNotion(teamId)])
    expect((await notionOf()).U0DANA).toEqual([null, null, null])
  })

  it('never overrides an owner\'s choice, a "nobody" included', async () => {
    const rowId = (id: string) => sourceUserRowId({ ...scope, teamId }, id)
    await updateSourceUserNotionPerson(teamId, rowId('U0DANA'), null, 'owner')
    await updateSourceUserNotionPerson(teamId, rowId('U0SAM'), 'n-dana', 'owner')
    await commit([...replaceNotionUsers(teamId, 'key-1', notionPeople, new Date()), ...matchSourceUsersToNotion(teamId)])
    expect((await notionOf()).U0DANA).toEqual([null, 'cleared', 'n-dana'])
    expect((await notionOf()).U0SAM).toEqual(['n-dana', 'manual', 'n-sam'])
  })
})

describe('assignees of tasks', () => {
  let lists = 0
  let fail = false
  const sink: TaskSink = {
    name: 'notion',
    people: {
      key: 'key-1',
      async list() {
        lists++
        if (fail) throw new PermanentError('Notion rejected the user list (403 restricted_resource)')
        return notionPeople
      },
    },
    prepare: async () => ({ warnings: [] }),
    findExisting: async () => null,
    create: async () => ({ pageId: 'p', url: 'u' }),
  }
  const task = (assignee: string | null): DetectedTask => ({ title: `Task for ${assignee}`, description: '', priority: 'medium', assignee })
  const assign = async (tasks: DetectedTask[], now = new Date()) => {
    const { thread } = await resolveThreadPeople({ teamId, sourceType: 'slack', ref, thread: slackThread, adapter: slackAdapter, call: call() })
    return resolveTaskAssignees({ teamId, sourceType: 'slack', ref, thread, tasks, sink, fenced: async writes => void await commit(writes), now })
  }

  beforeEach(async () => {
    await resolve()
    lists = 0
    fail = false
  })

  it('resolves "Dana" to Dana Lee and her Notion person; others keep their text', async () => {
    const resolved = await assign([task('Dana'), task('Marketing'), task(null), task('Sam')])
    expect([...resolved]).toEqual([[0, { name: 'Dana Lee', notionUserId: 'n-dana' }], [3, { name: 'Sam Stone', notionUserId: null }]])
  })

  it('reads the Notion people list once an hour, not per task', async () => {
    const now = new Date()
    await assign([task('Dana')], now)
    await assign([task('Dana')], new Date(now.getTime() + 60_000))
    expect(lists).toBe(1)
    await assign([task('Dana')], new Date(now.getTime() + SINK_PEOPLE_REFRESH_MS + 60_000))
    expect(lists).toBe(2)
  })

  it('gives no Notion person mapped by hand outside this integration\'s workspace, and carries on when Notion refuses the list', async () => {
    await commit(replaceNotionUsers(teamId, 'key-2', [{ id: 'n-other', name: 'Other', email: null, avatarUrl: null }], new Date()))
    await updateSourceUserNotionPerson(teamId, sourceUserRowId({ ...scope, teamId }, 'U0SAM'), 'n-other', 'owner')
    fail = true
    const now = new Date()
    const resolved = await assign([task('Sam Stone'), task('dana')], now)
    expect(lists).toBe(1)
    expect([...resolved]).toEqual([[0, { name: 'Sam Stone', notionUserId: null }], [1, { name: 'Dana Lee', notionUserId: null }]])
    // Refused: the next tasks do not ask again for a while, then do.
    await assign([task('dana')], new Date(now.getTime() + 60_000))
    expect(lists).toBe(1)
    fail = false
    await assign([task('dana')], new Date(now.getTime() + SINK_PEOPLE_RETRY_MS + 60_000))
    expect(lists).toBe(2)
  })
})

describe('source user rows', () => {
  it('are one per person, whoever writes first', async () => {
    const profile = { sourceUserId: 'U0X', displayName: 'x', realName: 'X', email: null, avatarUrl: null, isBot: false }
    const s = { ...scope, teamId }
    await Promise.all([commit([recordSourceUserProfile(s, profile, new Date())]), commit([recordSourceUserProfile(s, { ...profile, realName: 'X Y' }, new Date())])])
    expect(await getDiscubotSourceUsersByIdentity(s, ['U0X'])).toHaveLength(1)
  })
})
