// The one table `npm run bench` prints. Every row compares a measurement with a limit taken on
// the same machine in the same run, so the ratio means something on a shared, noisy box.

export interface Target {
  /** `min`: the ratio must be at least `value`; `max`: at most. */
  kind: 'min' | 'max'
  value: number
}

export interface Row {
  figure: string
  measured: string
  limit: string
  ratio: number
  /** No target: the row is context for the rows around it. */
  target?: Target
  /** A second condition the row must meet besides the ratio (e.g. an absolute latency bound). */
  also?: { ok: boolean, text: string }
}

export class Report {
  readonly rows: Row[] = []
  readonly notes: string[] = []

  add(row: Row) {
    this.rows.push(row)
    progress(`${row.figure}: ${row.measured} vs ${row.limit} → ${fmtRatio(row.ratio)} ${verdictOf(row)}`)
  }

  note(line: string) {
    this.notes.push(line)
  }

  /** A part that could not run still leaves a row, so a missing figure is never silent. */
  failed(figure: string, error: unknown) {
    const message = error instanceof Error ? error.message : String(error)
    this.rows.push({ figure, measured: 'error', limit: '–', ratio: Number.NaN, also: { ok: false, text: message.split('\n')[0]!.slice(0, 120) } })
    progress(`${figure}: FAILED ${message}`)
  }

  render(): string {
    const header = ['#', 'figure', 'measured', 'limit (same run)', 'ratio', 'target', 'verdict']
    const lines = this.rows.map((row, i) => [
      String(i + 1),
      row.figure,
      row.measured,
      row.limit,
      fmtRatio(row.ratio),
      targetText(row),
      verdictOf(row),
    ])
    const widths = header.map((h, c) => Math.max(h.length, ...lines.map(l => l[c]!.length)))
    const fmtLine = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`
    const table = [fmtLine(header), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmtLine)]
    return [...table, '', ...this.notes].join('\n')
  }
}

function targetText(row: Row): string {
  const ratio = row.target ? `${row.target.kind === 'min' ? '≥' : '≤'} ${row.target.value}` : ''
  return [ratio, row.also?.text].filter(Boolean).join('; ') || '–'
}

export function verdictOf(row: Row): string {
  if (Number.isNaN(row.ratio) && row.measured === 'error') return 'ERROR'
  const ratioOk = !row.target || (row.target.kind === 'min' ? row.ratio >= row.target.value : row.ratio <= row.target.value)
  const alsoOk = row.also ? row.also.ok : true
  if (!row.target && !row.also) return 'info'
  return ratioOk && alsoOk ? 'ok' : 'MISS'
}

export function fmtRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–'
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(2) : ratio.toFixed(3)}×`
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–'
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`
  if (value >= 100) return `${value.toFixed(0)} ms`
  if (value >= 10) return `${value.toFixed(1)} ms`
  return `${value.toFixed(2)} ms`
}

export function rate(value: number, unit: string): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`
}

/** Progress goes to stderr so stdout carries only the table. */
export function progress(line: string) {
  process.stderr.write(`[bench] ${line}\n`)
}
