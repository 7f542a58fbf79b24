import { createDiscubotTeam, getDiscubotTeamBySlug } from '../../collections/teams/server/database/queries'
import { useDb } from '../utils/db'
import { OPERATOR_POLICY, TENANT_POLICY, type OutboundPolicy } from '../utils/outbound'
import type { DiscubotTeam } from '../../collections/teams/server/database/schema'

export const DEFAULT_TEAM_SLUG = 'default'

/** The team env-configured sources and the first admin belong to. Safe when instances race. */
export async function ensureDefaultTeam(): Promise<DiscubotTeam> {
  const existing = await getDiscubotTeamBySlug(DEFAULT_TEAM_SLUG)
  if (existing) return existing
  try {
    return await createDiscubotTeam({ name: 'Default team', slug: DEFAULT_TEAM_SLUG })
  }
  catch (error) {
    const raced = await getDiscubotTeamBySlug(DEFAULT_TEAM_SLUG)
    if (raced) return raced
    throw error
  }
}

// The default team's id never changes once it exists: remembered per database handle.
const defaultTeamIds = new WeakMap<object, string>()

export async function isDefaultTeam(teamId: string): Promise<boolean> {
  const db = useDb()
  let id = defaultTeamIds.get(db)
  if (!id) {
    id = (await getDiscubotTeamBySlug(DEFAULT_TEAM_SLUG))?.id
    if (id) defaultTeamIds.set(db, id)
  }
  return teamId === id
}

/** The default team is the operator's; every other team is a tenant (see utils/outbound.ts). */
export async function outboundPolicyOf(teamId: string): Promise<OutboundPolicy> {
  return await isDefaultTeam(teamId) ? OPERATOR_POLICY : TENANT_POLICY
}
