// The People page's changes (owners): one person's Notion person, or many from a CSV. Only Notion
// people the team's integrations listed can be chosen, so a mapping always names someone real.
import { parsePeopleCsv } from '#layers/discubot/server/people/csv-import'
import {
  applySourceUserNotionPeople,
  findDiscubotSourceUsersByKeys,
  getDiscubotSourceUser,
  getDiscubotSourceUserListItem,
  updateSourceUserNotionPerson,
  type SourceUserListItem,
} from '#layers/discubot/collections/people/server/database/queries'
import { getDiscubotNotionUsersByEmails, getDiscubotNotionUsersByIds } from '#layers/discubot/collections/people/server/database/notion-users'
import type { PeopleImportResult } from '#layers/discubot/shared/api'
import type { TeamSession } from './session'

const LIST_READ_HINT = 'Discubot reads the Notion people list when it creates tasks in Notion'
const MAX_PROBLEMS_SHOWN = 10

const rejected = (message: string) => createError({ statusCode: 400, statusMessage: 'Bad Request', message })

export async function setPersonNotion(session: TeamSession, id: string, notionUserId: string | null): Promise<SourceUserListItem> {
  foundOr404(await getDiscubotSourceUser(session.teamId, id), 'Person')
  if (notionUserId && !(await getDiscubotNotionUsersByIds(session.teamId, [notionUserId])).length) {
    throw rejected(`No Notion person with id ${notionUserId} is known to this team; choose one the People page offers (${LIST_READ_HINT})`)
  }
  await updateSourceUserNotionPerson(session.teamId, id, notionUserId, session.user.id)
  return foundOr404(await getDiscubotSourceUserListItem(session.teamId, id), 'Person')
}

export async function importPeople(session: TeamSession, csv: string): Promise<PeopleImportResult> {
  const { rows, problems } = parsePeopleCsv(csv)
  const users = await findDiscubotSourceUsersByKeys(session.teamId, rows.map(row => row.sourceUser))
  const notion = await getDiscubotNotionUsersByEmails(session.teamId, rows.flatMap(row => row.notionEmail ?? []))
  const assignments = new Map<string, string | null>()
  for (const row of rows) {
    const key = row.sourceUser.toLowerCase()
    const people = users.filter(user => user.sourceUserId.toLowerCase() === key || user.email === key)
    const person = row.notionEmail ? notion.find(n => n.email === row.notionEmail) : undefined
    if (people.length === 0) problems.push(`line ${row.line}: nobody with the id or e-mail ${row.sourceUser} has been seen in this team's threads`)
    else if (row.notionEmail && !person) problems.push(`line ${row.line}: no Notion person has the e-mail ${row.notionEmail} (${LIST_READ_HINT}; it needs the "including email addresses" capability)`)
    else for (const user of people) assignments.set(user.id, person?.notionUserId ?? null)
  }
  if (problems.length) {
    const more = problems.length > MAX_PROBLEMS_SHOWN ? ` (and ${problems.length - MAX_PROBLEMS_SHOWN} more)` : ''
    throw rejected(`Nothing was imported: ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ')}${more}`)
  }
  const changed = users.filter(user => assignments.has(user.id) && (user.notionUserId !== assignments.get(user.id) || (user.notionMatch !== 'import' && user.notionMatch !== 'cleared')))
  await applySourceUserNotionPeople(session.teamId, changed.map(user => ({ id: user.id, notionUserId: assignments.get(user.id)! })), 'import', session.user.id)
  return { updated: changed.length, unchanged: assignments.size - changed.length }
}
