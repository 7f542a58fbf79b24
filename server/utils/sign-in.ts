// Email + password sign-in and the first admin's one-time setup. Both end in the same sealed
// session: the user, their first team (or the one they just joined) and their role in it. Every
// password check (sign-in, joining with an existing account, changing one's password) runs under
// the same limits.
import type { H3Event } from 'h3'
import { addressLimitKey, clientAddress, parseTrustedProxies, type TrustedProxies } from '#layers/discubot/server/auth/client-address'
import { isLoginRefusal, LoginLimiter, type LoginRefusal } from '#layers/discubot/server/auth/login-limits'
import { PasswordCheckGate } from '#layers/discubot/server/auth/password-checks'
import { hashOneTimeToken } from '#layers/discubot/server/auth/one-time-token'
import { useSettings } from '#layers/discubot/server/utils/settings'
import { getDiscubotUserByEmail, listDiscubotTeamsOfUser, updateDiscubotUser } from '#layers/discubot/collections/teams/server/database/queries'
import { completeDiscubotSetup, getDiscubotUserBySetupTokenHash } from '#layers/discubot/collections/teams/server/database/first-admin'
import type { DiscubotUser } from '#layers/discubot/collections/teams/server/database/schema'
import type { LoginInput, SetupInput } from '#layers/discubot/shared/auth-input'

let decoyHash: Promise<string> | undefined

/**
 * Unknown emails still pay for one hash check, so the answer's timing does not tell which
 * addresses have accounts.
 */
function decoy() {
  decoyHash ??= hashPassword('discubot-decoy-password')
  return decoyHash
}

let limiter: LoginLimiter | undefined
let gate: PasswordCheckGate | undefined
let trusted: { list: string, proxies: TrustedProxies } | undefined

function loginLimiter() {
  limiter ??= new LoginLimiter()
  return limiter
}

function passwordChecks() {
  gate ??= new PasswordCheckGate(useSettings().passwordCheckConcurrency)
  return gate
}

/** The client's address: X-Forwarded-For counts only from NUXT_TRUSTED_PROXIES, or anyone could pick a fresh address per try. */
function requestClientAddress(event: H3Event) {
  const list = useSettings().trustedProxies
  if (trusted?.list !== list) trusted = { list, proxies: parseTrustedProxies(list) }
  const forwarded = event.node.req.headers['x-forwarded-for']
  return clientAddress(event.node.req.socket?.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, trusted.proxies)
}

function refuse(event: H3Event, refusal: LoginRefusal): never {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))
  const wait = seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`
  setResponseHeader(event, 'Retry-After', seconds)
  const message = refusal.limit === 'account'
    ? `Too many failed sign-ins for this account. Try again in ${wait}.`
    : `Too many failed sign-ins from your network. Try again in ${wait}.`
  throw createError({ statusCode: 429, statusMessage: 'Too Many Requests', message })
}

/** Seals a session for `teamId` (the user's first team when not given). */
export async function startUserSession(event: H3Event, user: DiscubotUser, teamId?: string) {
  const teams = await listDiscubotTeamsOfUser(user.id)
  const membership = teamId ? teams.find(entry => entry.team.id === teamId) : teams[0]
  if (!membership) throw createError({ statusCode: 403, message: 'This account is not a member of any team' })
  await updateDiscubotUser(user.id, { lastLoginAt: new Date() }, user.id)
  const session = { user: { id: user.id, email: user.email, name: user.name }, teamId: membership.team.id, role: membership.role }
  await startTeamSession(event, session, user.sessionVersion)
  return { ...session, team: { id: membership.team.id, name: membership.team.name } }
}

/**
 * Whether `password` is the password of the account `email` names, under the sign-in limits (per
 * account and per client address; a refused try is a 429, a full queue a 503). Unknown addresses
 * cost one hash check all the same.
 */
export async function checkAccountPassword(event: H3Event, email: string, password: string): Promise<{ user: DiscubotUser | undefined, valid: boolean }> {
  const limits = loginLimiter()
  const keys = { account: email, address: addressLimitKey(requestClientAddress(event)) }
  const blocked = await limits.refusal(keys)
  if (blocked) refuse(event, blocked)
  const user = await getDiscubotUserByEmail(email)
  const outcome = passwordChecks().run(async () => {
    // Counted only once it has a place to run, so a try turned away below costs the owner nothing.
    const claim = await limits.claim(keys)
    if (isLoginRefusal(claim)) return claim
    let valid = false
    try {
      valid = await verifyPassword(user?.passwordHash ?? await decoy(), password) && Boolean(user?.passwordHash)
    }
    finally {
      await limits.settle(claim, valid)
    }
    return valid
  })
  if (!outcome) {
    setResponseHeader(event, 'Retry-After', 1)
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: 'Too many sign-ins at once. Try again in a moment.' })
  }
  const result: LoginRefusal | boolean = await outcome
  if (typeof result !== 'boolean') refuse(event, result)
  return { user, valid: result }
}

export async function signIn(event: H3Event, credentials: LoginInput) {
  const { user, valid } = await checkAccountPassword(event, credentials.email, credentials.password)
  if (!valid) throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'Wrong email or password' })
  return startUserSession(event, user!)
}

export async function isSetupTokenValid(token: string): Promise<boolean> {
  return Boolean(await getDiscubotUserBySetupTokenHash(hashOneTimeToken(token)))
}

export async function completeSetup(event: H3Event, input: SetupInput) {
  const tokenHash = hashOneTimeToken(input.token)
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
  return startUserSession(event, user)
}
