// Teammates on a real libSQL file: invites accepted once (a double submit, a revoke or an expiry in
// between writes nothing), the last owner kept even when two owners demote each other at once,
// removal ending sessions and deleting an account left without a team, reset links used once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { createTempDb, type TempDb } from '../support/temp-db'
import { addDiscubotTeamMember, createDiscubotTeam, createDiscubotUser, getDiscubotMembership } from '#layers/discubot/collections/teams/server/database/queries'
import {
  acceptDiscubotInviteAsExistingUser,
  acceptDiscubotInviteAsNewUser,
  deleteDiscubotTeamInvite,
  getDiscubotTeamInviteByTokenHash,
  listDiscubotTeamInvites,
  saveDiscubotTeamInvite,
} from '#layers/discubot/collections/teams/server/database/invites'
import {
  changeDiscubotMemberRole,
  changeDiscubotUserPassword,
  completeDiscubotPasswordReset,
  removeDiscubotMember,
  saveDiscubotPasswordReset,
} from '#layers/discubot/collections/teams/server/database/members'
import { discubotTeamMembers, discubotUsers, type DiscubotTeamInvite } from '#layers/discubot/collections/teams/server/database/schema'

let t: TempDb
let teamId: string
let ownerId: string

beforeEach(async () => {
  t = await createTempDb()
  teamId = (await createDiscubotTeam({ name: 'Acme', slug: 'acme' })).id
  ownerId = (await member('owner@acme.test', 'owner')).id
})
afterEach(() => t.cleanup())

async function member(email: string, role: 'owner' | 'member' | 'viewer', team = teamId) {
  const user = await createDiscubotUser({ email, name: email.split('@')[0]!, passwordHash: `hash-of-${email}` })
  await addDiscubotTeamMember({ teamId: team, userId: user.id, role })
  return user
}

const day = 24 * 60 * 60_000
const invite = (email: string, tokenHash = `token-${email}`, expiresAt = new Date(Date.now() + day)): Promise<DiscubotTeamInvite> =>
  saveDiscubotTeamInvite({ teamId, email, role: 'member', tokenHash, expiresAt, createdBy: ownerId })
const usersWith = async (email: string) => (await t.db.select({ n: count() }).from(discubotUsers).where(eq(discubotUsers.email, email)))[0]!.n
const versionOf = async (id: string) => (await t.db.select().from(discubotUsers).where(eq(discubotUsers.id, id)))[0]?.sessionVersion

describe('invites', () => {
  it('replaces a pending invite for the same address: one row, the new link', async () => {
    await invite('Mia@Acme.test', 'first')
    await invite('mia@acme.test', 'second')
    expect((await listDiscubotTeamInvites(teamId)).map(i => [i.email, i.tokenHash])).toEqual([['mia@acme.test', 'second']])
    expect(await getDiscubotTeamInviteByTokenHash('first')).toBeUndefined()
  })

  it('accepted by a new person: account, membership, invite gone; a second submit of the link creates nothing', async () => {
    const pending = await invite('mia@acme.test')
    const [first, second] = await Promise.all([
      acceptDiscubotInviteAsNewUser(pending, { name: 'Mia', passwordHash: 'hash-1' }),
      acceptDiscubotInviteAsNewUser(pending, { name: 'Mia twice', passwordHash: 'hash-2' }),
    ])
    expect([first, second].filter(Boolean)).toHaveLength(1)
    const user = (first ?? second)!
    expect(await usersWith('mia@acme.test')).toBe(1)
    expect(await getDiscubotMembership(teamId, user.id)).toMatchObject({ role: 'member' })
    expect(await listDiscubotTeamInvites(teamId)).toEqual([])
  })

  it('writes nothing once the invite is revoked or expired, even with the row read before', async () => {
    const revoked = await invite('rev@acme.test')
    expect(await deleteDiscubotTeamInvite(teamId, revoked.id)).toBe(true)
    expect(await acceptDiscubotInviteAsNewUser(revoked, { name: 'Rev', passwordHash: 'h' })).toBeUndefined()
    const expired = await invite('old@acme.test', 'old', new Date(Date.now() - 1000))
    expect(await acceptDiscubotInviteAsNewUser(expired, { name: 'Old', passwordHash: 'h' })).toBeUndefined()
    const existing = await member('ext@acme.test', 'owner', (await createDiscubotTeam({ name: 'B', slug: 'b' })).id)
    const replaced = await invite('ext@acme.test', 'ext-1')
    await invite('ext@acme.test', 'ext-2')
    expect(await acceptDiscubotInviteAsExistingUser(replaced, existing.id)).toBe(false)
    expect(await usersWith('rev@acme.test') + await usersWith('old@acme.test')).toBe(0)
    expect(await getDiscubotMembership(teamId, existing.id)).toBeUndefined()
  })

  it('an address that already has an account joins with that account', async () => {
    const bea = await member('bea@acme.test', 'owner', (await createDiscubotTeam({ name: 'B', slug: 'b' })).id)
    const pending = await invite('bea@acme.test')
    expect(await acceptDiscubotInviteAsExistingUser(pending, bea.id)).toBe(true)
    expect(await getDiscubotMembership(teamId, bea.id)).toMatchObject({ role: 'member' })
    // The new-account path cannot take over the address meanwhile.
    const again = await invite('bea@acme.test', 'again')
    await t.db.delete(discubotTeamMembers).where(eq(discubotTeamMembers.userId, bea.id))
    expect(await acceptDiscubotInviteAsNewUser(again, { name: 'Not Bea', passwordHash: 'h' })).toBeUndefined()
    expect(await usersWith('bea@acme.test')).toBe(1)
  })
})

describe('the last owner', () => {
  it('cannot be demoted or removed', async () => {
    expect(await changeDiscubotMemberRole(teamId, ownerId, 'member', ownerId)).toBeUndefined()
    expect(await removeDiscubotMember(teamId, ownerId, ownerId)).toBe(false)
    expect(await getDiscubotMembership(teamId, ownerId)).toMatchObject({ role: 'owner' })
  })

  it('survives two owners demoting each other at once', async () => {
    const second = await member('second@acme.test', 'owner')
    const results = await Promise.all([
      changeDiscubotMemberRole(teamId, ownerId, 'viewer', second.id),
      changeDiscubotMemberRole(teamId, second.id, 'viewer', ownerId),
    ])
    expect(results.filter(Boolean)).toHaveLength(1)
    const owners = await t.db.select().from(discubotTeamMembers).where(eq(discubotTeamMembers.role, 'owner'))
    expect(owners).toHaveLength(1)
  })
})

describe('removing a member', () => {
  it('ends their sessions and deletes an account left without a team', async () => {
    const mia = await member('mia@acme.test', 'member')
    expect(await removeDiscubotMember(teamId, mia.id, ownerId)).toBe(true)
    expect(await versionOf(mia.id)).toBeUndefined()
    expect(await getDiscubotMembership(teamId, mia.id)).toBeUndefined()
  })

  it('keeps the account of someone in another team, with their sessions ended', async () => {
    const bea = await member('bea@acme.test', 'member')
    await addDiscubotTeamMember({ teamId: (await createDiscubotTeam({ name: 'B', slug: 'b' })).id, userId: bea.id, role: 'owner' })
    expect(await removeDiscubotMember(teamId, bea.id, ownerId)).toBe(true)
    expect(await versionOf(bea.id)).toBe(1)
  })

  it('ends no session when nothing is removed', async () => {
    const second = await member('second@acme.test', 'owner')
    await removeDiscubotMember(teamId, second.id, ownerId)
    expect(await removeDiscubotMember(teamId, ownerId, ownerId)).toBe(false)
    expect(await versionOf(ownerId)).toBe(0)
  })
})

describe('passwords', () => {
  it('a reset link works once, ends every session, and not after it expires', async () => {
    const vic = await member('vic@acme.test', 'viewer')
    await saveDiscubotPasswordReset({ teamId, userId: vic.id, tokenHash: 'reset-1', expiresAt: new Date(Date.now() + day), createdBy: ownerId })
    // A newer link replaces it.
    await saveDiscubotPasswordReset({ teamId, userId: vic.id, tokenHash: 'reset-2', expiresAt: new Date(Date.now() + day), createdBy: ownerId })
    expect(await completeDiscubotPasswordReset('reset-1', 'new-hash')).toBeUndefined()
    expect(await completeDiscubotPasswordReset('reset-2', 'new-hash')).toMatchObject({ id: vic.id, passwordHash: 'new-hash', sessionVersion: 1 })
    expect(await completeDiscubotPasswordReset('reset-2', 'newer-hash')).toBeUndefined()
    await saveDiscubotPasswordReset({ teamId, userId: vic.id, tokenHash: 'reset-3', expiresAt: new Date(Date.now() - 1), createdBy: ownerId })
    expect(await completeDiscubotPasswordReset('reset-3', 'late-hash')).toBeUndefined()
    expect((await t.db.select().from(discubotUsers).where(eq(discubotUsers.id, vic.id)))[0]!.passwordHash).toBe('new-hash')
  })

  it('a password change ends every session and answers the new version for the one that asked', async () => {
    expect(await changeDiscubotUserPassword(ownerId, 'changed')).toBe(1)
    expect(await changeDiscubotUserPassword(ownerId, 'changed again')).toBe(2)
    expect(await changeDiscubotUserPassword('no-such-user', 'x')).toBeUndefined()
  })
})
