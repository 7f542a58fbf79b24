// Secrets at rest: AES-256-GCM under a keyring (secrets-key.ts says where the keys come from).
// A payload names the key that sealed it, so a new key can be added and old payloads still open
// until they are re-sealed; the tag length is pinned and the caller's context (the config id) is
// bound as associated data, so a payload copied onto another row does not open there.
//   v2:<key id>:<iv>:<tag>:<ciphertext>      (base64url parts)
//   v1:<iv>:<tag>:<ciphertext>               (before key ids: no context, key derived from
//                                             NUXT_SECRETS_KEY or else the session password)
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const ALGORITHM = 'aes-256-gcm'
const IV_BYTES = 12
/** Pinned on both sides: Node would otherwise accept a truncated tag (down to 4 bytes). */
const TAG_BYTES = 16
const VERSION = 'v2'
const LEGACY_VERSION = 'v1'

export const MIN_SECRETS_KEY_LENGTH = 32

export interface SecretsKey {
  /** Short, public name of the key: which key sealed a payload, without revealing it. */
  id: string
  key: Buffer
}

export interface SecretsKeyring {
  /** The first key seals; every key opens. */
  keys: SecretsKey[]
  /** v1 keys (old derivation), for opening payloads written before key ids. */
  legacy: Buffer[]
}

export class UnreadableSecretError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`Discubot: ${message}`, options)
    this.name = 'UnreadableSecretError'
  }
}

const derive = (material: string, info: string, bytes: number) => Buffer.from(hkdfSync('sha256', material, 'discubot', info, bytes))

/** Key materials (each at least 32 characters) as a keyring; the first one seals. */
export function createKeyring(materials: string[], legacyMaterials: (string | undefined)[] = []): SecretsKeyring {
  if (materials.length === 0) throw new Error('Discubot: a secrets keyring needs at least one key')
  const usableLegacy = [...new Set(legacyMaterials)].filter((m): m is string => Boolean(m && m.length >= MIN_SECRETS_KEY_LENGTH))
  return {
    keys: materials.map(material => ({
      id: derive(material, 'discubot-secrets-key-id', 6).toString('base64url'),
      key: derive(material, 'discubot-secrets-v2', 32),
    })),
    legacy: usableLegacy.map(material => derive(material, 'discubot-config-secrets', 32)),
  }
}

/** Seals `value` (JSON) under the keyring's first key, bound to `context`. */
export function sealJson(value: unknown, context: string, keyring: SecretsKeyring): string {
  const { id, key } = keyring.keys[0]!
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
  return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':')
}

/** Opens a payload sealed for `context`; throws UnreadableSecretError when no key of the keyring opens it. */
export function openJson<T>(payload: string, context: string, keyring: SecretsKeyring): T {
  const parts = payload.split(':')
  if (parts[0] === VERSION && parts.length === 5) {
    const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string]
    const key = keyring.keys.find(candidate => candidate.id === keyId)
    if (!key) throw new UnreadableSecretError(`secret sealed with key ${keyId}, which is not in this instance's keyring`)
    return decrypt(key.key, iv, tag, ciphertext, context)
  }
  if (parts[0] === LEGACY_VERSION && parts.length === 4) {
    const [, iv, tag, ciphertext] = parts as [string, string, string, string]
    for (const key of keyring.legacy) {
      try {
        return decrypt(key, iv, tag, ciphertext, undefined)
      }
      catch {
        // another legacy key may be the one
      }
    }
    throw new UnreadableSecretError('v1 secret that neither NUXT_SECRETS_KEY nor NUXT_SESSION_PASSWORD opens')
  }
  throw new UnreadableSecretError('unreadable secret payload')
}

/** Whether `payload` is sealed with the keyring's current (first) key, i.e. needs no re-sealing. */
export function isSealedWithCurrentKey(payload: string, keyring: SecretsKeyring): boolean {
  const [version, keyId] = payload.split(':')
  return version === VERSION && keyId === keyring.keys[0]!.id
}

function decrypt<T>(key: Buffer, iv: string, tag: string, ciphertext: string, context: string | undefined): T {
  const authTag = Buffer.from(tag, 'base64url')
  if (authTag.length !== TAG_BYTES) throw new UnreadableSecretError('secret payload with a truncated authentication tag')
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES })
    if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(authTag)
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()])
    return JSON.parse(plain.toString('utf8')) as T
  }
  catch (error) {
    throw new UnreadableSecretError('secret payload does not authenticate (wrong key, another row, or tampered)', { cause: error })
  }
}
