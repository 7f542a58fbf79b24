import { peopleImportSchema } from '#layers/discubot/shared/team-input'
import type { PeopleImportResult } from '#layers/discubot/shared/api'

/** A CSV `source_user,notion_email`, applied whole or not at all (the 400 names every line to fix). */
export default defineEventHandler(async (event): Promise<PeopleImportResult> => {
  const session = await requireTeamOwner(event)
  const { csv } = await readValidatedBody(event, inWords(peopleImportSchema, 'Invalid input'))
  return importPeople(session, csv)
})
