// Passwords after the first one: a signed-in user changes their own (the current one required;
// every other session of theirs ends), and a member opens a reset link an owner made for them
// (every session ends; they land signed in).
import type { H3Event } from 'h3'
import { hashOneTimeToken } from '#layers/discubot/server/auth/one-time-token'
import { changeDiscubotUserPassword, completeDiscubotPasswordReset, getDiscubotPasswordResetByTokenHash } from '#layers/discubot/collections/teams/server/database/members'
import type { ChangePasswordInput, PasswordResetInput } from '#layers/discubot/shared/auth-input'
import type { PasswordResetCheck } from '#layers/discubot/shared/api'
import type { TeamSession } from './session'

const NOT_VALID = 'This password reset link is not valid: it was already used or replaced by a newer one. Ask a team owner for a new link.'

const badRequest = (message: string) => createError({ statusCode: 400, statusMessage: 'Bad Request', message })

/** The reset the link carries, live; a 400 saying what to do otherwise. */
async function liveReset(token: string) {
  const reset = await getDiscubotPasswordResetByTokenHash(hashOneTimeToken(token))
  if (!reset) throw badRequest(NOT_VALID)
  if (reset.expiresAt <= new Date()) throw badRequest(`This password reset link expired at ${reset.expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC. Ask a team owner for a new one.`)
  return reset
}

export async function checkPasswordReset(token: string): Promise<PasswordResetCheck> {
  const { email, expiresAt } = await liveReset(token)
  return { email, expiresAt }
}

export async function completePasswordReset(event: H3Event, input: PasswordResetInput) {
  const reset = await liveReset(input.token)
  const user = await completeDiscubotPasswordReset(reset.tokenHash, await hashPassword(input.password))
  if (!user) throw badRequest(NOT_VALID)
  return startUserSession(event, user, reset.teamId)
}

/** The caller keeps their session (sealed again with the new version); every other one ends. */
export async function changeOwnPassword(event: H3Event, session: TeamSession, input: ChangePasswordInput) {
  const { valid } = await checkAccountPassword(event, session.user.email, input.currentPassword)
  if (!valid) throw badRequest('Your current password is not right; nothing was changed')
  const sessionVersion = await changeDiscubotUserPassword(session.user.id, await hashPassword(input.newPassword))
  if (sessionVersion === undefined) throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'Your account no longer exists; sign in again' })
  await startTeamSession(event, session, sessionVersion)
  return { ok: true }
}
