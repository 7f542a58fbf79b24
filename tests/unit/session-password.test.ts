import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ensureSessionPassword, MIN_SESSION_PASSWORD_LENGTH } from '#layers/discubot/server/auth/session-password'
import { keyFileDir } from '#layers/discubot/server/utils/key-file'
import { tempDir } from '../support/temp-db'

describe('ensureSessionPassword', () => {
  it('keeps a password given in the environment and writes nothing', () => {
    const dir = tempDir()
    const env: NodeJS.ProcessEnv = { NUXT_SESSION_PASSWORD: 'x'.repeat(40) }
    expect(ensureSessionPassword(env, `file:${join(dir, 'db.sqlite')}`)).toEqual({ source: 'env' })
    expect(env.NUXT_SESSION_PASSWORD).toBe('x'.repeat(40))
  })

  it('generates one beside the database file, private to the owner, and reuses it after a restart', () => {
    const dir = tempDir()
    const url = `file:${join(dir, 'data', 'discubot.db')}`
    const first: NodeJS.ProcessEnv = {}
    const created = ensureSessionPassword(first, url)
    expect(created).toEqual({ source: 'generated', path: join(dir, 'data', 'session-password') })
    expect(first.NUXT_SESSION_PASSWORD!.length).toBeGreaterThanOrEqual(MIN_SESSION_PASSWORD_LENGTH)
    expect(statSync(created.path!).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700)

    const second: NodeJS.ProcessEnv = {}
    expect(ensureSessionPassword(second, url)).toEqual({ source: 'file', path: created.path })
    expect(second.NUXT_SESSION_PASSWORD).toBe(first.NUXT_SESSION_PASSWORD)
    expect(readFileSync(created.path!, 'utf8').trim()).toBe(first.NUXT_SESSION_PASSWORD)
  })

  it('refuses a file too short to seal cookies instead of silently replacing it', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'session-password'), 'short\n')
    expect(() => ensureSessionPassword({}, `file:${join(dir, 'discubot.db')}`)).toThrow(/no usable session password/)
  })

  it('uses .data for a database server URL', () => {
    expect(keyFileDir('libsql://db.example.com')).toMatch(/\/\.data$/)
    expect(keyFileDir(':memory:')).toMatch(/\/\.data$/)
  })
})
