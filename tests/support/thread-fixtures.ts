// The realistic threads in tests/fixtures/threads, with the action items a person would list.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AnalysisInput } from '#layers/discubot/server/analysis/types'
import type { TaskPriority } from '#layers/discubot/shared/domain'
import { ROOT } from './paths'

export interface ExpectedTask {
  /** A substring of the title, case-insensitive. */
  title: string
  assignee?: string | null
  priority?: TaskPriority
  dueDate?: string | null
}

export interface ThreadFixture {
  name: string
  description: string
  input: AnalysisInput
  expected: { tasks: ExpectedTask[], absentTitles?: string[], summaryIncludes?: string[] }
}

const DIR = join(ROOT, 'tests', 'fixtures', 'threads')

export function loadThreadFixtures(): ThreadFixture[] {
  return readdirSync(DIR).filter(f => f.endsWith('.json')).sort().map(file => ({
    name: file.replace(/\.json$/, ''),
    ...JSON.parse(readFileSync(join(DIR, file), 'utf8')),
  }))
}

export function loadThreadFixture(name: string): ThreadFixture {
  const found = loadThreadFixtures().find(f => f.name === name)
  if (!found) throw new Error(`No thread fixture ${name}`)
  return found
}
