// Assignees that are real people: the analyzer's assignee text → a person of the thread (source
// user) → their Notion person (People page), for task_creation. The sink's people list is cached
// per team and integration and re-read hourly, so a new colleague's e-mail match shows up soon
// and a task never waits on the whole workspace. Best effort throughout: a list Notion will not
// give (no user capability) leaves People columns empty, never the job failed.
import { consola } from 'consola'
import type { Write } from '../utils/db'
import { messageOf } from '../utils/errors'
import type { SourceType } from '../../shared/domain'
import type { DetectedTask, ThreadData, ThreadRef } from '../../shared/schemas'
import type { TaskSink } from '../sinks/types'
import { getDiscubotSourceUsersByIdentity, matchSourceUsersToNotion } from '../../collections/people/server/database/queries'
import { getDiscubotNotionUsersByIds, notionUsersFetchedAt, replaceNotionUsers } from '../../collections/people/server/database/notion-users'
import { matchAssignee } from './assignee-match'
import { isPeopleSource, peopleScope, personName } from './thread-people'

const log = consola.withTag('people')

export const SINK_PEOPLE_REFRESH_MS = 60 * 60_000

/** After Notion refused the list (no user capability, an outage), tasks go on without asking for a while. */
export const SINK_PEOPLE_RETRY_MS = 10 * 60_000
/** Per team and integration, when the list was last refused (this instance; a restart just asks once more). */
const refusedAt = new Map<string, number>()

/** Matches that assign tasks; a name suggestion waits for an owner. */
const APPLIED_MATCHES = new Set(['email', 'manual', 'import'])

export interface AssigneeInput {
  teamId: string
  sourceType: SourceType
  ref: ThreadRef
  thread: ThreadData | null
  tasks: DetectedTask[]
  sink: TaskSink
  fenced: (writes: Write[]) => Promise<void>
  signal?: AbortSignal
  now?: Date
}

export interface ResolvedAssignee {
  /** The person's full name, for text columns and the task list. */
  name: string
  notionUserId: string | null
}

/** Re-reads the sink's people when the cached list is old (or absent), and matches the team's people to them. */
async function refreshSinkPeople(input: AssigneeInput, now: Date): Promise<void> {
  const people = input.sink.people
  if (!people) return
  const fetchedAt = await notionUsersFetchedAt(input.teamId, people.key)
  if (fetchedAt && now.getTime() - fetchedAt.getTime() < SINK_PEOPLE_REFRESH_MS) return
  const refusal = `${input.teamId}:${people.key}`
  if (now.getTime() - (refusedAt.get(refusal) ?? -Infinity) < SINK_PEOPLE_RETRY_MS) return
  try {
    const list = await people.list({ signal: input.signal })
    refusedAt.delete(refusal)
    await input.fenced([...replaceNotionUsers(input.teamId, people.key, list, now), ...matchSourceUsersToNotion(input.teamId)])
  }
  catch (error) {
    input.signal?.throwIfAborted()
    refusedAt.set(refusal, now.getTime())
    log.warn(`team ${input.teamId}: could not read the Notion people list, People columns stay empty for now: ${messageOf(error)}`)
  }
}

/** Each task's assignee as a person (by task index), where the thread says who they are. */
export async function resolveTaskAssignees(input: AssigneeInput): Promise<Map<number, ResolvedAssignee>> {
  const resolved = new Map<number, ResolvedAssignee>()
  if (input.tasks.length === 0 || !isPeopleSource(input.sourceType)) return resolved
  const now = input.now ?? new Date()
  // Even when no task names anyone: the People page offers this list, and e-mail matches come from it.
  await refreshSinkPeople(input, now)

  const ids = (input.thread?.people ?? []).map(person => person.id)
  if (!input.tasks.some(task => task.assignee) || ids.length === 0) return resolved
  const candidates = await getDiscubotSourceUsersByIdentity(peopleScope(input.teamId, input.sourceType, input.ref), ids)
  const matches = input.tasks.map(task => matchAssignee(task.assignee, candidates))

  // A person mapped by hand may not be in this integration's workspace: Notion would refuse the page.
  const mapped = matches.flatMap(user => user?.notionUserId && APPLIED_MATCHES.has(user.notionMatch ?? '') ? [user.notionUserId] : [])
  const known = input.sink.people && mapped.length
    ? new Set((await getDiscubotNotionUsersByIds(input.teamId, mapped, input.sink.people.key)).map(row => row.notionUserId))
    : new Set<string>()
  matches.forEach((user, index) => {
    if (!user) return
    const notionUserId = user.notionUserId && known.has(user.notionUserId) && APPLIED_MATCHES.has(user.notionMatch ?? '') ? user.notionUserId : null
    resolved.set(index, { name: personName(user), notionUserId })
  })
  return resolved
}
