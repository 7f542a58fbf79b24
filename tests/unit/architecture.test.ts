// The tree's rules, checked on the source text: every write to a table lives in the collection
// that owns it, and the modules that talk to the outside world (sources, analyzers, sinks) know no
// database and no HTTP framework. A new file that breaks a rule fails here, naming the line.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/paths'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

const rel = (path: string) => relative(ROOT, path)
const serverFiles = [...sourceFiles(join(ROOT, 'layers/discubot')), ...sourceFiles(join(ROOT, 'server'))]

/** `.insert(discubotX)`, `.update(discubotX)`, `.delete(discubotX)`, or raw SQL writes. */
const TABLE_WRITE = /\.(insert|update|delete)\(\s*discubot[A-Z]\w*|\b(INSERT\s+INTO|UPDATE\s+discubot_|DELETE\s+FROM)\b/

function offendingLines(files: string[], pattern: RegExp): string[] {
  return files.flatMap(file => readFileSync(file, 'utf8').split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => !/^\s*(\/\/|\*)/.test(line) && pattern.test(line))
    .map(({ line, i }) => `${rel(file)}:${i + 1}: ${line.trim()}`))
}

describe('architecture', () => {
  it('writes to tables only inside the collections that own them', () => {
    const outside = serverFiles.filter(file => !rel(file).startsWith('layers/discubot/collections/'))
    expect(outside.length).toBeGreaterThan(50)
    expect(offendingLines(outside, TABLE_WRITE)).toEqual([])
  })

  it('finds a write outside a collection when there is one (the check itself works)', () => {
    expect(TABLE_WRITE.test('await db.update(discubotJobs).set({ status })')).toBe(true)
    expect(TABLE_WRITE.test('sql`DELETE FROM discubot_jobs`')).toBe(true)
    expect(TABLE_WRITE.test('await updateDiscubotJob(teamId, id, patch)')).toBe(false)
  })

  it('keeps sources, analyzers and sinks free of the database and of h3', () => {
    const outsideWorld = serverFiles.filter(file => /^layers\/discubot\/server\/(sources|analysis|sinks)\//.test(rel(file)))
    expect(outsideWorld.length).toBeGreaterThan(20)
    const forbidden = /from\s+'(h3|drizzle-orm[^']*|@libsql\/client|[^']*\/collections\/[^']*|[^']*\/utils\/db|[^']*\/database\/[^']*|[^']*\/(webhooks|pipeline|admin|bootstrap)\/[^']*)'/
    expect(offendingLines(outsideWorld, forbidden)).toEqual([])
  })
})
