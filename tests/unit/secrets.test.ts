// Secrets at rest: key ids, the config id as associated data, a pinned tag, a keyring for
// rotation, v1 payloads still opening, and a key of its own that the session password never touches.
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createKeyring, isSealedWithCurrentKey, openJson, sealJson, UnreadableSecretError } from '#layers/discubot/server/utils/secrets'
import { loadSecretsKeyring, SecretsKeyError, useSecretsKeyring } from '#layers/discubot/server/utils/secrets-key'
import { tempDir } from '../support/temp-db'

const KEY_A = 'key-a-0123456789-0123456789-0123456789'
const KEY_B = 'key-b-0123456789-0123456789-0123456789'
const SESSION_PASSWORD = 'session-password-0123456789-0123456789'
const VALUE = { signingSecret: 'sig-1', botToken: 'xoxb-1' }

/** A payload as the previous release wrote it (secrets.ts before key ids), for the upgrade path. */
function sealV1(value: unknown, material: string): string {
  const key = Buffer.from(hkdfSync('sha256', material, 'discubot', 'discubot-config-secrets', 32))
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':')
}

const fileUrl = (dir: string) => `file:${join(dir, 'data', 'discubot.db')}`

describe('sealJson / openJson', () => {
  it('names the sealing key in the payload', () => {
    const a = createKeyring([KEY_A])
    const b = createKeyring([KEY_B])
    expect(a.keys[0]!.id).toMatch(/^[\w-]{8}$/)
    expect(a.keys[0]!.id).not.toBe(b.keys[0]!.id)
    const payload = sealJson(VALUE, 'config:a', a)
    expect(payload.split(':')).toHaveLength(5)
    expect(payload.split(':').slice(0, 2)).toEqual(['v2', a.keys[0]!.id])
    expect(payload).not.toContain('sig-1')
    expect(openJson(payload, 'config:a', a)).toEqual(VALUE)
    expect(() => openJson(payload, 'config:a', b)).toThrow(/not in this instance's keyring/)
  })

  it('opens a payload only for the context it was sealed for', () => {
    const keyring = createKeyring([KEY_A])
    const payload = sealJson(VALUE, 'discubot_configs:A', keyring)
    expect(() => openJson(payload, 'discubot_configs:B', keyring)).toThrow(UnreadableSecretError)
  })

  it('refuses a tampered or truncated tag and a tampered ciphertext', () => {
    const keyring = createKeyring([KEY_A])
    const [version, id, iv, tag, body] = sealJson(VALUE, 'c', keyring).split(':') as [string, string, string, string, string]
    const flip = (text: string) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`
    expect(() => openJson([version, id, iv, flip(tag), body].join(':'), 'c', keyring)).toThrow(/does not authenticate/)
    const truncated = Buffer.from(tag, 'base64url').subarray(0, 12).toString('base64url')
    expect(() => openJson([version, id, iv, truncated, body].join(':'), 'c', keyring)).toThrow(/truncated/)
    expect(() => openJson([version, id, iv, tag, flip(body)].join(':'), 'c', keyring)).toThrow(/does not authenticate/)
    expect(() => openJson('plain-text', 'c', keyring)).toThrow(/unreadable secret payload/)
  })

  it('a keyring of [new, old] opens old payloads and seals with the new key', () => {
    const old = createKeyring([KEY_A])
    const oldPayload = sealJson(VALUE, 'c', old)
    const rotated = createKeyring([KEY_B, KEY_A])
    expect(openJson(oldPayload, 'c', rotated)).toEqual(VALUE)
    expect(isSealedWithCurrentKey(oldPayload, rotated)).toBe(false)

    const newPayload = sealJson(VALUE, 'c', rotated)
    expect(isSealedWithCurrentKey(newPayload, rotated)).toBe(true)
    expect(openJson(newPayload, 'c', createKeyring([KEY_B]))).toEqual(VALUE)
    expect(() => openJson(newPayload, 'c', old)).toThrow(UnreadableSecretError)
  })

  it('opens a v1 payload with the material it was written with, and only with it', () => {
    expect(openJson(sealV1(VALUE, SESSION_PASSWORD), 'any', createKeyring([KEY_B], [undefined, SESSION_PASSWORD]))).toEqual(VALUE)
    expect(openJson(sealV1(VALUE, KEY_A), 'any', createKeyring([KEY_B], [KEY_A, SESSION_PASSWORD]))).toEqual(VALUE)
    expect(() => openJson(sealV1(VALUE, SESSION_PASSWORD), 'any', createKeyring([KEY_B], [KEY_A]))).toThrow(/v1 secret/)
    expect(isSealedWithCurrentKey(sealV1(VALUE, KEY_B), createKeyring([KEY_B]))).toBe(false)
  })
})

describe('loadSecretsKeyring', () => {
  it('generates a key beside the database, private to the owner, and reuses it', () => {
    const dir = tempDir()
    const first = loadSecretsKeyring({}, fileUrl(dir))
    expect(first).toMatchObject({ source: 'generated', path: join(dir, 'data', 'secrets-key') })
    expect(statSync(first.path!).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700)
    expect(readFileSync(first.path!, 'utf8').trim().length).toBeGreaterThanOrEqual(32)

    const again = loadSecretsKeyring({}, fileUrl(dir))
    expect(again.source).toBe('file')
    expect(again.keyring.keys.map(k => k.id)).toEqual(first.keyring.keys.map(k => k.id))
  })

  it('is never derived from the session password: a new password opens what the old one sealed', () => {
    const dir = tempDir()
    const before = loadSecretsKeyring({ NUXT_SESSION_PASSWORD: SESSION_PASSWORD }, fileUrl(dir)).keyring
    const payload = sealJson(VALUE, 'c', before)
    const after = loadSecretsKeyring({ NUXT_SESSION_PASSWORD: `${SESSION_PASSWORD}-rotated` }, fileUrl(dir)).keyring
    expect(openJson(payload, 'c', after)).toEqual(VALUE)
  })

  it('takes NUXT_SECRETS_KEY as comma-separated keys (the first seals) and writes no file', () => {
    const dir = tempDir()
    const loaded = loadSecretsKeyring({ NUXT_SECRETS_KEY: ` ${KEY_B} , ${KEY_A} ` }, fileUrl(dir))
    expect(loaded.source).toBe('env')
    expect(loaded.keyring.keys.map(k => k.id)).toEqual([createKeyring([KEY_B]).keys[0]!.id, createKeyring([KEY_A]).keys[0]!.id])
    expect(() => statSync(join(dir, 'data', 'secrets-key'))).toThrow(/ENOENT/)
  })

  it('reads several keys from the key file, one per line', () => {
    const dir = tempDir()
    loadSecretsKeyring({}, fileUrl(dir))
    writeFileSync(join(dir, 'data', 'secrets-key'), `${KEY_B}\n${KEY_A}\n`)
    const sealedByA = sealJson(VALUE, 'c', createKeyring([KEY_A]))
    const { keyring } = loadSecretsKeyring({}, fileUrl(dir))
    expect(openJson(sealedByA, 'c', keyring)).toEqual(VALUE)
    expect(isSealedWithCurrentKey(sealJson(VALUE, 'c', keyring), createKeyring([KEY_B]))).toBe(true)
  })

  it('refuses keys shorter than 32 characters, naming where they came from', () => {
    expect(() => loadSecretsKeyring({ NUXT_SECRETS_KEY: `${KEY_A},short` }, fileUrl(tempDir()))).toThrow(/every key in NUXT_SECRETS_KEY must be at least 32 characters/)
    const dir = tempDir()
    loadSecretsKeyring({}, fileUrl(dir))
    writeFileSync(join(dir, 'data', 'secrets-key'), 'short\n')
    expect(() => loadSecretsKeyring({}, fileUrl(dir))).toThrow(SecretsKeyError)
  })

  it('refuses a database server without NUXT_SECRETS_KEY: each host would invent its own key', () => {
    for (const url of ['libsql://db.example.com', 'http://127.0.0.1:8080', 'https://db.example.com?authToken=abc']) {
      expect(() => loadSecretsKeyring({}, url)).toThrow(SecretsKeyError)
      expect(() => loadSecretsKeyring({}, url)).toThrow(/is a database server .* but NUXT_SECRETS_KEY is not set/)
      expect(() => loadSecretsKeyring({}, url)).not.toThrow(/authToken|example\.com|127\.0\.0\.1/)
      expect(loadSecretsKeyring({ NUXT_SECRETS_KEY: KEY_A }, url).source).toBe('env')
    }
  })
})

describe('useSecretsKeyring', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('keeps trying to read the key file until the database folder can be written', () => {
    const dir = tempDir()
    // A file where the database folder should be, as while a volume is not mounted yet.
    writeFileSync(join(dir, 'data'), 'not a folder')
    vi.stubEnv('NUXT_SECRETS_KEY', undefined)
    vi.stubEnv('NUXT_DATABASE_URL', fileUrl(dir))
    expect(() => useSecretsKeyring()).toThrow(/ENOTDIR|EEXIST/)
    rmSync(join(dir, 'data'))
    const keyring = useSecretsKeyring()
    expect(keyring.keys[0]!.id).toBe(loadSecretsKeyring({}, fileUrl(dir)).keyring.keys[0]!.id)
  })
})
