import { listDiscubotNotionUsers } from '#layers/discubot/collections/people/server/database/notion-users'
import type { NotionPeople } from '#layers/discubot/shared/api'

/** The Notion people a source user can be given: everyone the team's integrations listed. */
export default defineEventHandler(async (event): Promise<NotionPeople> => {
  const { teamId } = await requireTeamSession(event)
  return { people: await listDiscubotNotionUsers(teamId) }
})
