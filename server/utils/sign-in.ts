// Email + password sign-in and the first admin's one-time setup. Both end in the same sealed
// session: the user, their first team and their role in it.
import type { H3Event } from 'h3'
import { createRateLimiter } from '#layers/discubot/server/auth/rate-limiter'
import { hashSetupToken } from '#layers/discubot/server/auth/setup-token'
import { useDb } from '#layers/discubot/server/utils/db'
import { getDiscubotUserByEmail, listDiscubotTeamsOfUser, updateDiscubotUser } from '#layers/discubot/collections/teams/server/database/queries'
import { completeDiscubotSetup, getDiscubotUserBySetupTokenHash } from '#layers/discubot/collections/teams/server/database/first-admin'
import type { DiscubotUser } from '#layers/discubot/collections/teams/server/database/schema'
import type { LoginInput, SetupInput } from '#layers/discubot/shared/auth-input'

/** Counted per client address and email: 10 tries per 10 minutes, then 429 until the window ends. */
const loginAttempts = createRateLimiter({ limit: 10, windowMs: 10 * 60_000 })

let decoyHash: Promise<string> | undefined

/**
 * Unknown emails still pay for one hash check, so the answer's timing does not tell which
 * addresses have accounts.
 */
function decoy() {
  decoyHash ??= hashPassword('discubot-decoy-password')
  return decoyHash
}

async function startSession(event: H3Event, user: DiscubotUser) {
  const [membership] = await listDiscubotTeamsOfUser(user.id)
  if (!membership) throw createError({ statusCode: 403, message: 'This account is not a member of any team' })
  await updateDiscubotUser(useDb(), user.id, { lastLoginAt: new Date() }, user.id)
  const session = { user: { id: user.id, email: user.email, name: user.name }, teamId: membership.team.id, role: membership.role }
  await replaceUserSession(event, session)
  return { ...session, team: { id: membership.team.id, name: membership.team.name } }
}

export async function signIn(event: H3Event, credentials: LoginInput) {
  // The socket address: X-Forwarded-For is the client's to forge, which would void the limit.
  const key = `${getRequestIP(event) ?? 'unknown'}|${credentials.email}`
  const decision = loginAttempts.hit(key)
  if (!decision.allowed) {
    setResponseHeader(event, 'Retry-After', Math.ceil(decision.retryAfterMs / 1000))
    throw createError({ statusCode: 429, statusMessage: 'Too Many Requests', message: 'Too many sign-in attempts. Wait a few minutes and try again.' })
  }
  const user = await getDiscubotUserByEmail(credentials.email)
  const valid = await verifyPassword(user?.passwordHash ?? await decoy(), credentials.password)
  if (!user?.passwordHash || !valid) throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'Wrong email or password' })
  loginAttempts.reset(key)
  return startSession(event, user)
}

export async function isSetupTokenValid(token: string): Promise<boolean> {
  return Boolean(await getDiscubotUserBySetupTokenHash(hashSetupToken(token)))
}

export async function completeSetup(event: H3Event, input: SetupInput) {
  const tokenHash = hashSetupToken(input.token)
  if (!await getDiscubotUserBySetupTokenHash(tokenHash)) {
    throw createError({ statusCode: 404, message: 'This setup link was already used or has been replaced; use the newest link from the server log' })
  }
  if (await getDiscubotUserByEmail(input.email)) throw createError({ statusCode: 409, message: 'An account with this email already exists' })
  const user = await completeDiscubotSetup(tokenHash, {
    email: input.email,
    name: input.name || input.email.split('@')[0]!,
    passwordHash: await hashPassword(input.password),
  })
  if (!user) throw createError({ statusCode: 404, message: 'This setup link was already used' })
  return startSession(event, user)
}
