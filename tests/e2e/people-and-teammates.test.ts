// People and teammates against the built server (issue 16), with Slack and Notion played by the
// stand-ins: Slack authors and mentions become names (users.info, cached), a task asked of
// `<@U0DANA>` lands in Notion with Dana's Notion person — matched by e-mail on the second page of a
// 151-person workspace, past a same-name person on the first — and a users.info that fails or is
// rate-limited leaves ids without holding the job up. Then teammates: invite → accept → the new
// member's own session; viewers change nothing; the last owner stays; a removed member's cookie
// and a changed password's other sessions end at once; reset links and existing accounts.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerHandle } from '../support/server'
import { callApi, createTeamWithUser, sessionClient, signIn, withServerDb, type AdminClient, type ApiAnswer } from '../support/admin-client'
import { countRows, queryDbFile } from '../support/db-file'
import { PEOPLE_OWNER as OWNER, startPeopleServer, type PeopleServer } from '../support/people-server'
import { slackPlatformError, type SlackStandin } from '../standins/slack'
import { ROUTES as NOTION, type NotionStandin } from '../standins/notion'
import { rateLimited } from '../standins/http-standin'

const CHANNEL = 'C0PEOPLE'

let world: PeopleServer
let slack: SlackStandin
let notion: NotionStandin
let server: ServerHandle
let owner: AdminClient
let databaseId: string
let danaNotionId: string
/** Every one-time link the server answered: none may show up in its log. */
const links: string[] = []

beforeAll(async () => {
  world = await startPeopleServer()
  ;({ slack, notion, server, owner, databaseId } = world)
  slack.state.addUser({ id: 'U0LEE', name: 'lee', realName: 'Lee Park', displayName: 'lee', email: 'lee.park@acme.test' })
  slack.state.addUser({ id: 'U0DANA', name: 'dana', realName: 'Dana Lee', displayName: 'dana', email: 'Dana.Lee@acme.test' })
  slack.state.addUser({ id: 'U0DISCUBOT', name: 'discubot', realName: 'Discubot', isBot: true })
  // 149 people, then Dana and Lee: Dana's e-mail is on the second page of GET /v1/users, and a
  // different "Dana Lee" on the first page makes a name match the wrong one.
  const [dana] = notion.state.crowd(149, { name: 'Dana Lee', email: 'dana.lee@acme.test' }, { name: 'Lee Park', email: 'lee.park@acme.test' })
  danaNotionId = dana!.id
  notion.state.users[4] = { id: randomUUID(), name: 'Dana Lee', email: 'dana.lee@elsewhere.test' }
})

afterAll(() => world?.stop())

const discussThread = (messages: { user: string, text: string }[]) => world.discussThread(CHANNEL, messages)
const usersInfoCalls = (id: string) => slack.calls('users.info').filter(call => call.args.user === id)

function remember<T extends ApiAnswer>(answer: T): T {
  if (typeof answer.body?.url === 'string') links.push(answer.body.url)
  return answer
}

describe('names instead of ids', () => {
  let discussionId: string

  it('assigns the task asked of <@U0DANA> to Dana\'s Notion person, matched by e-mail on the second page of users', async () => {
    const job = await discussThread([
      { user: 'U0LEE', text: `<@${slack.state.botUserId}> turn this into tasks please` },
      { user: 'U0LEE', text: '<@U0DANA> can you update the pricing page copy before the launch?' },
      { user: 'U0DANA', text: 'Sure, on it.' },
    ])
    expect(job).toMatchObject({ status: 'completed', error: null })
    discussionId = String(job.discussion_id)

    const [page] = notion.state.pagesIn(databaseId)
    expect(notion.state.text(page!, 'Task name')).toBe('Update the pricing page copy before the launch')
    expect(page!.properties.Assignee).toEqual({ people: [{ object: 'user', id: danaNotionId }] })
    // Every page of the list was read: page 2 holds Dana.
    expect(notion.calls(NOTION.users).map(call => call.query.start_cursor ?? 'first')).toEqual(['first', expect.any(String)])

    const tasks = await owner.call('/api/tasks')
    expect(tasks.body.items.map((task: { assignee: string }) => task.assignee)).toEqual(['Dana Lee'])
  })

  it('shows names (and faces) in the admin\'s thread, never the ids, and looks each person up once', async () => {
    const detail = await owner.call(`/api/discussions/${discussionId}`)
    const thread = detail.body.discussion.threadData
    expect(thread.messages.map((m: { author: string }) => m.author)).toEqual(['Lee Park', 'Lee Park', 'Dana Lee'])
    expect(thread.people).toEqual(expect.arrayContaining([
      { id: 'U0DANA', name: 'Dana Lee', avatarUrl: `${slack.url}/avatars/U0DANA.svg` },
      { id: 'U0DISCUBOT', name: 'Discubot', avatarUrl: expect.any(String), isBot: true },
    ]))
    expect(detail.body.discussion.authorHandle).toBe('Lee Park')
    expect(JSON.stringify(detail.body.discussion.aiSummary)).not.toContain('U0')

    const people = await owner.call('/api/people?q=dana')
    expect(people.body.items).toEqual([expect.objectContaining({
      sourceUserId: 'U0DANA', realName: 'Dana Lee', email: 'dana.lee@acme.test', notionUserId: danaNotionId, notionMatch: 'email', notionName: 'Dana Lee', notionEmail: 'dana.lee@acme.test',
    })])
    expect(usersInfoCalls('U0DANA')).toHaveLength(1)
  })

  it('completes a job whose users.info lookups fail or are rate-limited, leaving those ids, and reuses the cache for the rest', async () => {
    slack.state.addUser({ id: 'U0LATE', name: 'late', realName: 'Late Comer' })
    // Not visible, then a 30-second rate limit that must not be waited out.
    slack.faults.push(slackPlatformError('users.info', 'user_not_visible'), rateLimited('users.info', 30))
    const job = await discussThread([
      { user: 'U0GHOST', text: `<@${slack.state.botUserId}> make tasks` },
      { user: 'U0LATE', text: '<@U0DANA> could you restart the staging server?' },
    ])
    expect(job).toMatchObject({ status: 'completed', error: null })
    expect(slack.faults.pending).toBe(0)
    // One attempt, one lookup each: the rate limit was not waited out, nor the stage retried for it.
    expect(await queryDbFile(server.dbPath, `SELECT attempts FROM discubot_job_stages WHERE job_id = ? AND stage = 'thread_building'`, [String(job.id)])).toEqual([expect.objectContaining({ attempts: 1 })])
    expect(usersInfoCalls('U0LATE')).toHaveLength(1)
    const thread = (await owner.call(`/api/discussions/${job.discussion_id}`)).body.discussion.threadData
    expect(thread.messages.map((m: { author: string }) => m.author)).toEqual(['U0GHOST', 'U0LATE'])
    expect(usersInfoCalls('U0DANA')).toHaveLength(1)

    // Slack will not show the ghost (user_not_visible): listed by id, not asked again before the day is out.
    const ghost = (await owner.call('/api/people?q=U0GHOST')).body.items
    expect(ghost).toEqual([expect.objectContaining({ sourceUserId: 'U0GHOST', realName: null, fetchedAt: expect.any(String) })])
  })

  it('lets an owner change or clear a person\'s Notion person, and import a CSV whole or not at all', async () => {
    const lee = (await owner.call('/api/people?q=U0LEE')).body.items[0]
    expect(lee).toMatchObject({ notionMatch: 'email', notionName: 'Lee Park' })

    expect((await owner.call(`/api/people/${lee.id}`, { method: 'PATCH', body: { notionUserId: 'no-such-person' } })).status).toBe(400)
    const cleared = await owner.call(`/api/people/${lee.id}`, { method: 'PATCH', body: { notionUserId: null } })
    expect(cleared.body).toMatchObject({ notionUserId: null, notionMatch: 'cleared' })
    const chosen = await owner.call(`/api/people/${lee.id}`, { method: 'PATCH', body: { notionUserId: danaNotionId } })
    expect(chosen.body).toMatchObject({ notionUserId: danaNotionId, notionMatch: 'manual' })

    const broken = await owner.call('/api/people/import', { method: 'POST', body: { csv: 'source_user,notion_email\nU0LEE,lee.park@acme.test\nU0NOBODY,lee.park@acme.test\nU0DANA,nobody@acme.test\n' } })
    expect(broken.status).toBe(400)
    expect(broken.body.message).toContain('line 3: nobody with the id or e-mail U0NOBODY')
    expect(broken.body.message).toContain('line 4: no Notion person has the e-mail nobody@acme.test')
    expect((await owner.call(`/api/people?q=U0LEE`)).body.items[0]).toMatchObject({ notionUserId: danaNotionId, notionMatch: 'manual' })

    const imported = await owner.call('/api/people/import', { method: 'POST', body: { csv: 'source_user,notion_email\nlee.park@acme.test,Lee.Park@acme.test\n' } })
    expect(imported.body).toEqual({ updated: 1, unchanged: 0 })
    expect((await owner.call(`/api/people?q=U0LEE`)).body.items[0]).toMatchObject({ notionName: 'Lee Park', notionMatch: 'import' })
  })
})

describe('teammates', () => {
  let member: AdminClient
  let viewer: AdminClient
  let viewerId: string
  const invite = async (email: string, role: string) => remember(await owner.call('/api/team/invites', { method: 'POST', body: { email, role } }))
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!
  const accept = (token: string, name: string, password: string) => callApi(server, '/api/auth/invite', { method: 'POST', body: { token, name, password } })
  const clientOf = (answer: ApiAnswer) => sessionClient(server, answer.headers.getSetCookie().map(c => c.split(';')[0]).join('; '))

  it('invite → accept → the new member works with their own account and session', async () => {
    const created = await invite('mia@acme.test', 'member')
    expect(created.status).toBe(201)
    expect(created.body.url).toMatch(new RegExp(`^${server.url}/invite\\?token=[\\w-]{40,}$`))
    const token = tokenOf(created.body.url)
    expect((await callApi(server, `/api/auth/invite?token=${token}`)).body).toMatchObject({ email: 'mia@acme.test', teamName: expect.any(String), role: 'member', existingAccount: false })
    // Only the hash is stored.
    expect(await countRows(server.dbPath, 'discubot_team_invites', 'token_hash = ?', [token])).toBe(0)

    const weak = await accept(token, 'Mia', 'aaaaaaaaaaaa')
    expect(weak.status).toBe(400)
    expect(weak.body.message).toContain('Use at least 4 different characters')
    expect(await countRows(server.dbPath, 'discubot_users', 'email = ?', ['mia@acme.test'])).toBe(0)

    const joined = await accept(token, 'Mia Wong', 'mia-password-1')
    expect(joined.status).toBe(200)
    expect(joined.body).toMatchObject({ role: 'member', user: { email: 'mia@acme.test', name: 'Mia Wong' } })
    member = clientOf(joined)
    const jobs = await member.call('/api/jobs')
    expect(jobs.status).toBe(200)
    expect(jobs.body.total).toBe(2)
    expect((await member.call('/api/team/members')).status).toBe(403)

    const listed = (await owner.call('/api/team/members')).body
    expect(listed.members.map((m: { email: string, role: string }) => [m.email, m.role])).toEqual(expect.arrayContaining([['mia@acme.test', 'member'], [OWNER.email, 'owner']]))
    expect(listed.invites).toEqual([])
    expect(JSON.stringify(listed)).not.toContain(token)
  })

  it('answers 409 for an address already in the team, and 400 with what to do for used, forged and expired links', async () => {
    expect((await invite('mia@acme.test', 'viewer')).status).toBe(409)
    const used = await accept(tokenOf(links[0]!), 'Mia again', 'another-password-1')
    expect(used.status).toBe(400)
    expect(used.body.message).toContain('Ask a team owner for a new link')
    expect((await accept('forged-token', 'Forger', 'forger-password-1')).status).toBe(400)

    const late = await invite('late@acme.test', 'member')
    await queryDbFile(server.dbPath, 'UPDATE discubot_team_invites SET expires_at = ? WHERE id = ?', [Date.now() - 1000, late.body.invite.id])
    const expired = await accept(tokenOf(late.body.url), 'Late', 'late-password-1')
    expect(expired.status).toBe(400)
    expect(expired.body.message).toMatch(/expired on \d{4}-\d{2}-\d{2}\. Ask a team owner for a new one/)
    expect(await countRows(server.dbPath, 'discubot_users', 'email = ?', ['late@acme.test'])).toBe(0)
    expect((await owner.call(`/api/team/invites/${late.body.invite.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await owner.call(`/api/team/invites/${late.body.invite.id}`, { method: 'DELETE' })).status).toBe(404)
  })

  it('a viewer reads but gets 403 on retry, people and team changes', async () => {
    const joined = await accept(tokenOf((await invite('vic@acme.test', 'viewer')).body.url), 'Vic', 'vic-password-1')
    viewer = clientOf(joined)
    viewerId = joined.body.user.id
    expect((await viewer.call('/api/people')).status).toBe(200)
    const [discussion] = (await viewer.call('/api/discussions')).body.items
    expect((await viewer.call(`/api/discussions/${discussion.id}/retry`, { method: 'POST' })).status).toBe(403)
    const person = (await viewer.call('/api/people')).body.items[0]
    expect((await viewer.call(`/api/people/${person.id}`, { method: 'PATCH', body: { notionUserId: null } })).status).toBe(403)
    expect((await viewer.call('/api/team/invites', { method: 'POST', body: { email: 'x@acme.test', role: 'owner' } })).status).toBe(403)
  })

  it('keeps the last owner: neither demoted nor removed', async () => {
    const ownerId = (await owner.call('/api/session-info')).body.user.id
    const demote = await owner.call(`/api/team/members/${ownerId}`, { method: 'PATCH', body: { role: 'member' } })
    expect(demote.status).toBe(409)
    expect(demote.body.message).toContain('A team needs an owner')
    expect((await owner.call(`/api/team/members/${ownerId}`, { method: 'DELETE' })).status).toBe(409)
    expect((await owner.call('/api/session-info')).body.role).toBe('owner')
  })

  it('a removed member\'s existing cookie gets 401 on the next request', async () => {
    const miaId = (await member.call('/api/session-info')).body.user.id
    expect((await owner.call(`/api/team/members/${miaId}`, { method: 'DELETE' })).status).toBe(200)
    expect((await member.call('/api/jobs')).status).toBe(401)
    // Their only team: the account is gone too, so a new invite starts afresh.
    expect(await countRows(server.dbPath, 'discubot_users', 'id = ?', [miaId])).toBe(0)
  })

  it('changing one\'s password needs the current one and ends every other session', async () => {
    const phone = await signIn(server, 'vic@acme.test', 'vic-password-1')
    const wrong = await viewer.call('/api/auth/password', { method: 'POST', body: { currentPassword: 'not-my-password', newPassword: 'vic-password-2' } })
    expect(wrong.status).toBe(400)
    expect(wrong.body.message).toContain('current password is not right')
    expect((await viewer.call('/api/auth/password', { method: 'POST', body: { currentPassword: 'vic-password-1', newPassword: 'short' } })).body.message).toContain('Use at least 10 characters')

    const changed = await viewer.call('/api/auth/password', { method: 'POST', body: { currentPassword: 'vic-password-1', newPassword: 'vic-password-2' } })
    expect(changed.status).toBe(200)
    expect((await viewer.call('/api/jobs')).status).toBe(200)
    expect((await phone.call('/api/jobs')).status).toBe(401)
    await expect(signIn(server, 'vic@acme.test', 'vic-password-1')).rejects.toThrow(/401/)
    await signIn(server, 'vic@acme.test', 'vic-password-2')
  })

  it('a password reset link sets a new password once, ends old sessions and signs the member in', async () => {
    const made = remember(await owner.call(`/api/team/members/${viewerId}/password-reset`, { method: 'POST' }))
    expect(made.status).toBe(201)
    const token = new URL(made.body.url).searchParams.get('token')!
    expect(made.body.url).toContain(`${server.url}/reset-password?token=`)
    expect((await callApi(server, `/api/auth/password-reset?token=${token}`)).body).toMatchObject({ email: 'vic@acme.test' })
    const done = await callApi(server, '/api/auth/password-reset', { method: 'POST', body: { token, password: 'vic-password-3' } })
    expect(done.status).toBe(200)
    expect((await clientOf(done).call('/api/session-info')).body.user.email).toBe('vic@acme.test')
    expect((await viewer.call('/api/jobs')).status).toBe(401)
    expect((await callApi(server, '/api/auth/password-reset', { method: 'POST', body: { token, password: 'vic-password-4' } })).status).toBe(400)
    await signIn(server, 'vic@acme.test', 'vic-password-3')
  })

  it('someone with an account in another team joins with their own password; that team\'s owner gets 404 on ours', async () => {
    const { user: bea } = await withServerDb(server, () => createTeamWithUser('team-b', { email: 'bea@acme.test', password: 'bea-password-1', role: 'owner' }))
    const ownerOfB = await signIn(server, 'bea@acme.test', 'bea-password-1')
    const token = tokenOf((await invite('bea@acme.test', 'member')).body.url)
    expect((await callApi(server, `/api/auth/invite?token=${token}`)).body.existingAccount).toBe(true)
    // Reset links are only for people this team alone vouches for.
    const wrong = await accept(token, 'Bea', 'not-beas-password')
    expect(wrong.status).toBe(400)
    expect(wrong.body.message).toContain('already has a Discubot account')
    const joined = await accept(token, 'ignored', 'bea-password-1')
    expect(joined.status).toBe(200)
    expect((await clientOf(joined).call('/api/session-info')).body.team.slug).toBe('default')
    expect((await owner.call(`/api/team/members/${bea.id}/password-reset`, { method: 'POST' })).status).toBe(409)

    const ownerId = (await owner.call('/api/session-info')).body.user.id
    expect((await ownerOfB.call('/api/session-info')).body.team.slug).toBe('team-b')
    expect((await ownerOfB.call(`/api/team/members/${ownerId}`, { method: 'DELETE' })).status).toBe(404)
    expect((await ownerOfB.call(`/api/team/members/${ownerId}`, { method: 'PATCH', body: { role: 'viewer' } })).status).toBe(404)
    expect((await ownerOfB.call(`/api/team/members/${ownerId}/password-reset`, { method: 'POST' })).status).toBe(404)
    expect((await owner.call('/api/session-info')).body.role).toBe('owner')
  })

  it('never logs a one-time link', () => {
    expect(links.length).toBeGreaterThanOrEqual(5)
    const logs = server.logs()
    for (const link of links) expect(logs).not.toContain(new URL(link).searchParams.get('token')!)
  })
})
