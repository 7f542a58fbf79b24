import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Scrypt } from '@adonisjs/hash/drivers/scrypt'
import { createTempDb, type TempDb } from '../support/temp-db'
import { testSettings } from '../support/engine-fixtures'
import type { Settings } from '#layers/discubot/server/utils/settings'
import { ensureDefaultTeam } from '#layers/discubot/server/bootstrap/default-team'
import { ensureFirstAdmin } from '#layers/discubot/server/bootstrap/first-admin'
import type { BootstrapContext } from '#layers/discubot/server/bootstrap'
import { hashOneTimeToken } from '#layers/discubot/server/auth/one-time-token'
import { createDiscubotUser, getDiscubotMembership, getDiscubotUserByEmail } from '#layers/discubot/collections/teams/server/database/queries'
import { completeDiscubotSetup, getDiscubotUserBySetupTokenHash, SETUP_PLACEHOLDER_EMAIL } from '#layers/discubot/collections/teams/server/database/first-admin'
import { discubotUsers } from '#layers/discubot/collections/teams/server/database/schema'

let t: TempDb
beforeEach(async () => {
  t = await createTempDb()
})
afterEach(() => t.cleanup())

/** Captures what the step prints instead of writing to the console. */
function capture() {
  const lines: string[] = []
  const log = { box: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) } as unknown as typeof import('consola').consola
  return { lines, log }
}

/** `env`: the settings the environment gives (the first admin's e-mail and password). */
async function context(env: Partial<Settings>): Promise<BootstrapContext> {
  return { settings: testSettings({ publicBaseUrl: 'https://discubot.example/', ...env }), defaultTeam: await ensureDefaultTeam() }
}

const tokenOf = (link: string) => new URL(link).searchParams.get('token')!

describe('ensureFirstAdmin', () => {
  it('creates the env admin as owner of the default team with a password nuxt-auth-utils can verify', async () => {
    const ctx = await context({ adminEmail: 'Admin@Example.com ', adminPassword: 'correct horse battery' })
    const outcome = await ensureFirstAdmin(ctx, capture().log)
    expect(outcome.kind).toBe('env-admin-created')
    const user = (await getDiscubotUserByEmail('admin@example.com'))!
    expect(user.email).toBe('admin@example.com')
    expect(await new Scrypt({}).verify(user.passwordHash!, 'correct horse battery')).toBe(true)
    expect(await new Scrypt({}).verify(user.passwordHash!, 'wrong')).toBe(false)
    expect((await getDiscubotMembership(ctx.defaultTeam.id, user.id))?.role).toBe('owner')
  })

  it('leaves an existing env admin alone on the next boot', async () => {
    const ctx = await context({ adminEmail: 'admin@example.com', adminPassword: 'first password' })
    await ensureFirstAdmin(ctx, capture().log)
    const before = (await getDiscubotUserByEmail('admin@example.com'))!
    const again = await ensureFirstAdmin(await context({ adminEmail: 'admin@example.com', adminPassword: 'changed in env' }), capture().log)
    expect(again).toEqual({ kind: 'env-admin-exists', userId: before.id })
    expect((await getDiscubotUserByEmail('admin@example.com'))!.passwordHash).toBe(before.passwordHash)
    expect(await t.db.select().from(discubotUsers)).toHaveLength(1)
  })

  it('completes a boot that stopped after creating the admin but before the membership', async () => {
    const ctx = await context({ adminEmail: 'admin@example.com', adminPassword: 'pw-123456789' })
    const user = await createDiscubotUser({ email: 'admin@example.com', name: 'admin', passwordHash: 'x' })
    expect(await ensureFirstAdmin(ctx, capture().log)).toEqual({ kind: 'env-admin-exists', userId: user.id })
    expect((await getDiscubotMembership(ctx.defaultTeam.id, user.id))?.role).toBe('owner')
  })

  it('without env admin prints a one-time setup link; a reboot replaces it', async () => {
    const ctx = await context({})
    const out = capture()
    const first = await ensureFirstAdmin(ctx, out.log)
    expect(first.kind).toBe('setup-link')
    const firstLink = (first as { link: string }).link
    expect(firstLink).toMatch(/^https:\/\/discubot\.example\/setup\?token=[\w-]{40,}$/)
    expect(out.lines.join('\n')).toContain(firstLink)

    const second = await ensureFirstAdmin(ctx, capture().log) as { link: string }
    expect(second.link).not.toBe(firstLink)
    expect(await getDiscubotUserBySetupTokenHash(hashOneTimeToken(tokenOf(firstLink)))).toBeUndefined()
    const placeholder = (await getDiscubotUserBySetupTokenHash(hashOneTimeToken(tokenOf(second.link))))!
    expect(placeholder.email).toBe(SETUP_PLACEHOLDER_EMAIL)
    expect((await getDiscubotMembership(ctx.defaultTeam.id, placeholder.id))?.role).toBe('owner')
    // Only the hash is stored.
    expect(JSON.stringify(await t.db.select().from(discubotUsers))).not.toContain(tokenOf(second.link))
  })

  it('a setup link works once, and afterwards boots print no link', async () => {
    const ctx = await context({})
    const { link } = await ensureFirstAdmin(ctx, capture().log) as { link: string }
    const tokenHash = hashOneTimeToken(tokenOf(link))
    const done = await completeDiscubotSetup(tokenHash, { email: 'Owner@Example.com', name: 'Owner', passwordHash: 'hash' })
    expect(done).toMatchObject({ email: 'owner@example.com', name: 'Owner', setupTokenHash: null, passwordHash: 'hash' })
    expect(done!.updatedBy).toBe(done!.id)
    expect(await completeDiscubotSetup(tokenHash, { email: 'other@example.com', name: 'Other', passwordHash: 'hash2' })).toBeUndefined()
    expect(await ensureFirstAdmin(ctx, capture().log)).toEqual({ kind: 'none' })
  })

  it('an env admin retires a pending setup link', async () => {
    const ctx = await context({})
    const { link } = await ensureFirstAdmin(ctx, capture().log) as { link: string }
    await ensureFirstAdmin(await context({ adminEmail: 'admin@example.com', adminPassword: 'pw-123456789' }), capture().log)
    expect(await getDiscubotUserBySetupTokenHash(hashOneTimeToken(tokenOf(link)))).toBeUndefined()
    expect(await getDiscubotUserByEmail(SETUP_PLACEHOLDER_EMAIL)).toBeUndefined()
  })

  it('warns and falls back to the setup link when only one of the two env settings is set', async () => {
    const out = capture()
    const outcome = await ensureFirstAdmin(await context({ adminEmail: 'admin@example.com' }), out.log)
    expect(outcome.kind).toBe('setup-link')
    expect(out.lines[0]).toMatch(/work only together/)
  })
})
