// The People page's CSV import, read: `source_user,notion_email` per line (a header line with those
// names is optional). `source_user` is a source user id (`U0DANA`, a Figma user id) or that person's
// e-mail; an empty `notion_email` means "nobody". Every problem is reported with its line, so an
// import either applies whole or names what to fix.

export interface ImportRow {
  line: number
  sourceUser: string
  /** Lower-cased; null = clear the person. */
  notionEmail: string | null
}

export const MAX_IMPORT_ROWS = 5000
const HEADER = ['source_user', 'notion_email']
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** One CSV line's fields (RFC 4180 quoting: `"a, b"`, `""` for a quote). */
export function csvFields(line: string): string[] | null {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') field += line[++i]
      else if (char === '"') quoted = false
      else field += char
    }
    else if (char === '"' && field.trim() === '') {
      quoted = true
      field = ''
    }
    else if (char === ',') {
      fields.push(field)
      field = ''
    }
    else field += char
  }
  if (quoted) return null
  return [...fields, field].map(value => value.trim())
}

export function parsePeopleCsv(csv: string): { rows: ImportRow[], problems: string[] } {
  const rows: ImportRow[] = []
  const problems: string[] = []
  const seen = new Map<string, number>()
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/)
  lines.forEach((text, index) => {
    const line = index + 1
    if (!text.trim()) return
    const fields = csvFields(text)
    if (!fields) return void problems.push(`line ${line}: a quote is not closed`)
    if (index === 0 && fields.map(f => f.toLowerCase()).join() === HEADER.join()) return
    if (fields.length !== 2) return void problems.push(`line ${line}: expected 2 columns (source_user,notion_email), found ${fields.length}`)
    const [sourceUser, email] = fields as [string, string]
    if (!sourceUser) return void problems.push(`line ${line}: source_user is empty`)
    if (email && !EMAIL.test(email)) return void problems.push(`line ${line}: "${email.slice(0, 100)}" is not an e-mail address`)
    const key = sourceUser.toLowerCase()
    if (seen.has(key)) return void problems.push(`line ${line}: ${sourceUser} is already on line ${seen.get(key)}`)
    seen.set(key, line)
    rows.push({ line, sourceUser, notionEmail: email ? email.toLowerCase() : null })
  })
  if (rows.length > MAX_IMPORT_ROWS) problems.push(`at most ${MAX_IMPORT_ROWS} people per import, found ${rows.length}`)
  return { rows, problems }
}
