import { createDiscubotTeam, getDiscubotTeamBySlug } from '../../collections/teams/server/database/queries'
import { useDb } from '../utils/db'
import type { DiscubotTeam } from '../../collections/teams/server/database/schema'

export const DEFAULT_TEAM_SLUG = 'default'

/** The team env-configured sources and the first admin belong to. Safe when instances race. */
export async function ensureDefaultTeam(): Promise<DiscubotTeam> {
  const existing = await getDiscubotTeamBySlug(DEFAULT_TEAM_SLUG)
  if (existing) return existing
  try {
    return await createDiscubotTeam(useDb(), { name: 'Default team', slug: DEFAULT_TEAM_SLUG })
  }
  catch (error) {
    const raced = await getDiscubotTeamBySlug(DEFAULT_TEAM_SLUG)
    if (raced) return raced
    throw error
  }
}
