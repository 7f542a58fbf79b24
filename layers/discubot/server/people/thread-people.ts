// Names instead of ids (../shared/design.md, "People"): the people of a fetched thread — its
// authors and everyone mentioned — resolved once and cached in the database (source users), so the
// analyzer, the admin and the Notion page read "Dana Lee", never `U0DANA`. thread_building commits
// the cache rows with its checkpoint. Resolving is best effort: an id the source will not describe
// stays an id, and the job goes on.
import { consola } from 'consola'
import type { Write } from '../utils/db'
import { mrkdwnToText } from '../../shared/mrkdwn'
import { PEOPLE_SOURCES, type PeopleSource, type SourceType } from '../../shared/domain'
import type { ThreadData, ThreadPerson, ThreadRef } from '../../shared/schemas'
import type { SourceAdapter, SourceCallContext, SourceUserProfile } from '../sources/types'
import type { DiscubotSourceUser } from '../../collections/people/server/database/schema'
import {
  getDiscubotSourceUsersByIdentity,
  matchSourceUsersToNotion,
  recordSeenSourceUser,
  recordSourceUserProfile,
  type SourceUserScope,
} from '../../collections/people/server/database/queries'

const log = consola.withTag('people')

/** A cached profile younger than this is used as it is; older ones are looked up again. */
export const SOURCE_USER_REFRESH_MS = 24 * 60 * 60_000
/** Lookups per attempt: a thread with more new people resolves the rest on its next mention. */
export const MAX_LOOKUPS_PER_THREAD = 50
/** However many lookups remain, the stage moves on after this. */
export const LOOKUP_BUDGET_MS = 10_000

export interface ThreadPeopleInput {
  teamId: string
  sourceType: SourceType
  ref: ThreadRef
  thread: ThreadData
  adapter: SourceAdapter
  call: SourceCallContext
  now?: Date
}

export interface ThreadPeople {
  /** The thread with authors by name and its people listed. */
  thread: ThreadData
  /** Cache rows to commit with the stage's checkpoint. */
  writes: Write[]
  /** The name of whoever started the discussion, when known. */
  startedBy?: string
}

export function isPeopleSource(sourceType: SourceType): sourceType is PeopleSource {
  return (PEOPLE_SOURCES as readonly string[]).includes(sourceType)
}

export function peopleScope(teamId: string, source: PeopleSource, ref: ThreadRef): SourceUserScope {
  return { teamId, source, workspaceId: ref.kind === 'slack' ? ref.workspaceId : '' }
}

/** Authors first, then everyone mentioned (`<@U…>`), each once. */
export function participantIds(thread: ThreadData): string[] {
  const ids = new Set<string>()
  for (const message of thread.messages) if (message.authorId) ids.add(message.authorId)
  const collect = (id: string) => {
    ids.add(id)
    return ''
  }
  for (const message of thread.messages) mrkdwnToText(message.text, { mention: collect })
  for (const person of thread.people ?? []) ids.add(person.id)
  return [...ids]
}

export const personName = (user: Pick<DiscubotSourceUser, 'realName' | 'displayName' | 'sourceUserId'>) => user.realName || user.displayName || user.sourceUserId

function asPerson(user: DiscubotSourceUser | (SourceUserProfile & { sourceUserId: string })): ThreadPerson {
  return { id: user.sourceUserId, name: personName(user), ...(user.avatarUrl ? { avatarUrl: user.avatarUrl } : {}), ...(user.isBot ? { isBot: true } : {}) }
}

const fromThread = (person: ThreadPerson): SourceUserProfile => ({
  sourceUserId: person.id, displayName: person.name, realName: null, email: null, avatarUrl: person.avatarUrl ?? null, isBot: Boolean(person.isBot),
})

function samePerson(cached: DiscubotSourceUser | undefined, profile: SourceUserProfile) {
  return cached && cached.displayName === profile.displayName && (cached.avatarUrl ?? null) === profile.avatarUrl
}

/** Who started the discussion: a pasted conversation names nobody by id. */
function starterId(ref: ThreadRef): string | undefined {
  if (ref.kind === 'slack') return ref.userId
  return ref.kind === 'figma' ? ref.authorId : undefined
}

export async function resolveThreadPeople(input: ThreadPeopleInput): Promise<ThreadPeople> {
  const { thread } = input
  if (!isPeopleSource(input.sourceType)) return { thread, writes: [] }
  const now = input.now ?? new Date()
  const scope = peopleScope(input.teamId, input.sourceType, input.ref)
  const ids = participantIds(thread)
  const cached = new Map((await getDiscubotSourceUsersByIdentity(scope, ids)).map(row => [row.sourceUserId, row]))
  const people = new Map<string, ThreadPerson>()
  const writes: Write[] = []

  // What the source said in the thread itself (Figma handles) is current: no lookup.
  for (const person of thread.people ?? []) {
    const profile = fromThread(person)
    if (!samePerson(cached.get(person.id), profile)) writes.push(recordSourceUserProfile(scope, profile, now))
    people.set(person.id, person)
  }

  const stale = ids.filter((id) => {
    if (people.has(id)) return false
    const row = cached.get(id)
    if (row) people.set(id, asPerson(row))
    return !row?.fetchedAt || now.getTime() - row.fetchedAt.getTime() > SOURCE_USER_REFRESH_MS
  })
  if (stale.length && input.adapter.lookupUsers) {
    const budget = AbortSignal.timeout(LOOKUP_BUDGET_MS)
    const signal = input.call.signal ? AbortSignal.any([input.call.signal, budget]) : budget
    const lookups = await input.adapter.lookupUsers({ ...input.call, signal }, input.ref, stale.slice(0, MAX_LOOKUPS_PER_THREAD))
    // Lost the lease or shutting down: the runner decides; nothing here is worth committing.
    input.call.signal?.throwIfAborted()
    const failures: string[] = []
    for (const lookup of lookups) {
      if ('profile' in lookup) {
        writes.push(recordSourceUserProfile(scope, lookup.profile, now))
        people.set(lookup.sourceUserId, asPerson(lookup.profile))
        continue
      }
      failures.push(`${lookup.sourceUserId}: ${lookup.error}`)
      if (lookup.lasting || !cached.has(lookup.sourceUserId)) writes.push(recordSeenSourceUser(scope, lookup.sourceUserId, lookup.lasting ? now : undefined))
    }
    if (failures.length) log.warn(`team ${input.teamId}: ${failures.length} of ${lookups.length} ${input.sourceType} user lookups failed; those people keep their ids for now (${failures[0]})`)
  }
  if (writes.length) writes.push(...matchSourceUsersToNotion(input.teamId))

  const named = (id: string | undefined) => id ? people.get(id)?.name : undefined
  const startedBy = named(starterId(input.ref))
  return {
    thread: {
      ...thread,
      messages: thread.messages.map(message => ({ ...message, author: named(message.authorId) ?? message.author })),
      people: [...people.values()],
    },
    writes,
    ...(startedBy ? { startedBy } : {}),
  }
}
