// How the admin writes people: a source user's name, and how their Notion person was found.
import type { NotionMatch } from '#layers/discubot/shared/domain'

export function personLabel(person: { realName: string | null, displayName: string | null, sourceUserId: string }): string {
  return person.realName || person.displayName || person.sourceUserId
}

const MATCHES: Record<NotionMatch, { label: string, color: 'success' | 'info' | 'neutral' }> = {
  email: { label: 'Matched by e-mail', color: 'success' },
  manual: { label: 'Set by an owner', color: 'info' },
  import: { label: 'Imported', color: 'info' },
  cleared: { label: 'Nobody (set by an owner)', color: 'neutral' },
}

export function notionMatchBadge(match: NotionMatch | null): { label: string, color: 'success' | 'info' | 'neutral' | 'warning' } | undefined {
  return match ? MATCHES[match] : undefined
}

export const ROLE_HELP = {
  owner: 'Everything, including sources, people and teammates',
  member: 'Reads everything, retries and discards jobs',
  viewer: 'Reads everything, changes nothing',
} as const
