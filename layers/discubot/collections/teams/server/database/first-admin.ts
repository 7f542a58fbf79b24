// Queries of the first-admin setup: a placeholder owner holds the hashed one-time token until
// someone opens the setup link and gives it an email and a password.
import { and, count, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import { discubotUsers, type DiscubotUser } from './schema'

/** `.invalid` is reserved (RFC 2606): the placeholder can never collide with a real address. */
export const SETUP_PLACEHOLDER_EMAIL = 'first-admin@setup.invalid'

/** Users who can sign in (the placeholder cannot: it has no password). */
export async function countDiscubotUsersWithPassword(): Promise<number> {
  const [row] = await useDb().select({ n: count() }).from(discubotUsers).where(isNotNull(discubotUsers.passwordHash))
  return row?.n ?? 0
}

export async function getDiscubotUserBySetupTokenHash(tokenHash: string): Promise<DiscubotUser | undefined> {
  const [row] = await useDb().select().from(discubotUsers)
    .where(and(eq(discubotUsers.setupTokenHash, tokenHash), isNull(discubotUsers.passwordHash)))
  return row
}

/**
 * Gives the placeholder its real email and password and burns the token, in one statement: of
 * two submissions of the same link only one matches the WHERE.
 */
export async function completeDiscubotSetup(tokenHash: string, input: { email: string, name: string, passwordHash: string }): Promise<DiscubotUser | undefined> {
  const [row] = await useDb().update(discubotUsers).set({
    email: input.email.trim().toLowerCase(),
    name: input.name,
    passwordHash: input.passwordHash,
    setupTokenHash: null,
    // The admin sets up their own account.
    updatedBy: sql`${discubotUsers.id}`,
    updatedAt: new Date(),
  }).where(and(eq(discubotUsers.setupTokenHash, tokenHash), isNull(discubotUsers.passwordHash))).returning()
  return row
}

export async function deleteDiscubotUser(id: string): Promise<void> {
  await useDb().delete(discubotUsers).where(eq(discubotUsers.id, id))
}
