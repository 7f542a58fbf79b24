// Which person of the thread an analyzer's assignee text names: "Dana Lee", "Dana", "@dana",
// "dana@acme.test" or "U0DANA" all lead to the same source user. Only people of the thread are
// candidates, and a name two of them share names nobody: a wrong assignee is worse than none.

export interface AssigneeCandidate {
  sourceUserId: string
  realName: string | null
  displayName: string | null
  email: string | null
  isBot: boolean
}

const normalize = (text: string) => text.normalize('NFKC').replace(/^@+/, '').replace(/\s+/g, ' ').trim().toLowerCase()
const firstName = (name: string | null) => name ? normalize(name).split(' ')[0]! : ''

/** The one candidate every rule that matches agrees on, trying the exact rules before first names. */
export function matchAssignee<C extends AssigneeCandidate>(assignee: string | null | undefined, candidates: C[]): C | undefined {
  const wanted = normalize(assignee ?? '')
  if (!wanted) return undefined
  const people = candidates.filter(c => !c.isBot)
  const rules: ((c: C) => boolean)[] = [
    c => [c.realName, c.displayName].some(name => name && normalize(name) === wanted),
    c => c.sourceUserId.toLowerCase() === wanted || c.email === wanted || (c.email?.split('@')[0] ?? '') === wanted,
    c => !wanted.includes(' ') && [c.realName, c.displayName].some(name => firstName(name) === wanted),
  ]
  for (const rule of rules) {
    const found = people.filter(rule)
    if (found.length === 1) return found[0]
    if (found.length > 1) return undefined
  }
  return undefined
}
