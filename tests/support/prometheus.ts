// Reading a /metrics answer the way Prometheus would, with a Prometheus text-format parser, then
// lookups by metric name and label set.
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format'

export interface Scrape {
  text: string
  families: Map<string, PrometheusFamily>
}

export function parseMetrics(text: string): Scrape {
  return { text, families: new Map(parsePrometheusTextFormat(text).map(family => [family.name, family])) }
}

/** The sample of `name` whose labels include `labels`; undefined when there is none. */
export function sampleOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): PrometheusSample | undefined {
  return scrape.families.get(name)?.metrics.find(sample => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value))
}

/** A counter's or gauge's value (0 when the series does not exist yet). */
export function valueOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  return Number(sampleOf(scrape, name, labels)?.value ?? 0)
}

/**
 * One series of a histogram: cumulative buckets by `le`, count and sum. The parser folds every
 * label set of a histogram into one, so it is handed this series alone, its other labels removed.
 */
export function histogramOf(scrape: Scrape, name: string, labels: Record<string, string>): { buckets: Record<string, number>, count: number, sum: number } | undefined {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  const lines = scrape.text.split('\n')
    .filter(line => /^\w+\{/.test(line) && [`${name}_bucket{`, `${name}_count{`, `${name}_sum{`].some(prefix => line.startsWith(prefix)))
    .filter(line => pairs.every(pair => line.includes(pair)))
    .map(line => line.replace(/\{([^}]*)\}/, (_all, inner: string) => {
      const le = /le="[^"]*"/.exec(inner)?.[0]
      return le ? `{${le}}` : ''
    }))
  if (lines.length === 0) return undefined
  const [family] = parsePrometheusTextFormat(`# TYPE ${name} histogram\n${lines.join('\n')}\n`)
  const sample = family!.metrics[0]!
  return {
    buckets: Object.fromEntries(Object.entries(sample.buckets ?? {}).map(([le, n]) => [le, Number(n)])),
    count: Number(sample.count ?? 0),
    sum: Number(sample.sum ?? 0),
  }
}
