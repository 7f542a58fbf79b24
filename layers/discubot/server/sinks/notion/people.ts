// The people of a Notion workspace, for the People page and for People columns: `GET /v1/users`
// read in full through the SDK's pagination (a workspace of more than 100 people is common), persons
// only — bots cannot be assigned (../shared/reference/notion-admin.md §2, §4, §5).
import { collectPaginatedAPI, type Client } from '@notionhq/client'
import type { SinkPerson } from '../types'

export async function listNotionPeople(notion: Client): Promise<SinkPerson[]> {
  const users = await collectPaginatedAPI(notion.users.list, { page_size: 100 })
  return users.filter(user => user.type === 'person').map(user => ({
    id: user.id,
    name: 'name' in user ? user.name ?? null : null,
    // Present only with the "user information including email addresses" capability.
    email: 'person' in user ? user.person?.email ?? null : null,
    avatarUrl: 'avatar_url' in user ? user.avatar_url ?? null : null,
  }))
}
