// The hasher behind nuxt-auth-utils' hashPassword/verifyPassword (Adonis scrypt, default cost),
// importable outside Nitro: the first-boot step runs in plain Node in tests and scripts, where
// Nitro's auto-imports do not exist. Hashes made here verify with nuxt-auth-utils and back.
import { Scrypt } from '@adonisjs/hash/drivers/scrypt'

let scrypt: Scrypt | undefined

function hasher() {
  scrypt ??= new Scrypt({})
  return scrypt
}

export function hashAdminPassword(password: string): Promise<string> {
  return hasher().make(password)
}
