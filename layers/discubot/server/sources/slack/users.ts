// Who a Slack user id is: `users.info`, one id per call (Slack has no batch lookup short of
// reading the whole workspace with users.list), facts in ../shared/reference/slack-install.md §4 and
// slack.md §7. The e-mail comes only with the `users:read.email` scope. Lookups are a courtesy to
// the reader, never a reason to hold a job up: a few at a time, within Slack's Tier 4 rate per
// workspace, and a rate limit ends the round instead of waiting for it.
import type { WebClient } from '@slack/web-api'
import pLimit from 'p-limit'
import { keyedLimiter } from '../../utils/token-bucket'
import { messageOf, PermanentError, TransientError } from '../../utils/errors'
import type { SourceUserLookup, SourceUserProfile } from '../types'
import { callSlack } from './client'

/** Tier 4: 100+ calls a minute per workspace; the burst lets a new thread's people resolve at once. */
export const usersInfoLimiter = keyedLimiter({ ratePerSecond: 100 / 60, capacity: 20 })
const CONCURRENCY = 4

/** Real users only: `U…`/`W…`; bot ids (`B…`) are no users and would only earn `user_not_found`. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/

interface SlackUser {
  id?: string
  name?: string
  real_name?: string
  is_bot?: boolean
  profile?: { real_name?: string, display_name?: string, email?: string, image_72?: string, image_48?: string, image_192?: string }
}

const orNull = (value: string | undefined) => value?.trim() || null

export function toSourceUserProfile(id: string, user: SlackUser): SourceUserProfile {
  const profile = user.profile ?? {}
  return {
    sourceUserId: id,
    displayName: orNull(profile.display_name) ?? orNull(user.name),
    realName: orNull(profile.real_name) ?? orNull(user.real_name),
    email: orNull(profile.email)?.toLowerCase() ?? null,
    avatarUrl: orNull(profile.image_72) ?? orNull(profile.image_48) ?? orNull(profile.image_192),
    // Slackbot is a bot without the flag.
    isBot: Boolean(user.is_bot) || id === 'USLACKBOT',
  }
}

/**
 * Looks each id up once. `workspaceKey` shares the rate between every job of the workspace;
 * `signal` ends the round (ids not looked up yet are reported as skipped).
 */
export async function lookupSlackUsers(client: WebClient, workspaceKey: string, ids: string[], signal?: AbortSignal): Promise<SourceUserLookup[]> {
  const limit = pLimit(CONCURRENCY)
  let stopped: string | undefined
  const lookUp = async (id: string): Promise<SourceUserLookup> => {
    if (stopped) return { sourceUserId: id, error: stopped, lasting: false }
    try {
      await usersInfoLimiter.acquire(workspaceKey, signal)
      if (stopped) return { sourceUserId: id, error: stopped, lasting: false }
      const answer = await callSlack('users.info', () => client.users.info({ user: id }))
      if (!answer.user) return { sourceUserId: id, error: 'Slack users.info answered without a user', lasting: true }
      return { sourceUserId: id, profile: toSourceUserProfile(id, answer.user as SlackUser) }
    }
    catch (error) {
      if (signal?.aborted) stopped ??= 'skipped: no time left for name lookups in this attempt'
      // Waiting out Retry-After would delay the job; the ids are looked up next time.
      else if (error instanceof TransientError && error.code === 'ratelimited') stopped ??= `skipped: ${error.message}`
      // user_not_found and the like: asking again on every thread would spend the workspace's rate on nobody.
      return { sourceUserId: id, error: messageOf(error), lasting: error instanceof PermanentError }
    }
  }
  return Promise.all(ids.map(id => limit(() => lookUp(id))))
}
