// Reading a /metrics answer the way Prometheus would: a real text-format parser, then lookups by
// metric name and label set.
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format'

export type Families = Map<string, PrometheusFamily>

export function parseMetrics(text: string): Families {
  return new Map(parsePrometheusTextFormat(text).map(family => [family.name, family]))
}

/** The sample of `name` whose labels include `labels`; undefined when there is none. */
export function sampleOf(families: Families, name: string, labels: Record<string, string> = {}): PrometheusSample | undefined {
  return families.get(name)?.metrics.find(sample => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value))
}

/** A counter's or gauge's value (0 when the series does not exist yet). */
export function valueOf(families: Families, name: string, labels: Record<string, string> = {}): number {
  return Number(sampleOf(families, name, labels)?.value ?? 0)
}

/** A histogram series' total count (0 when the series does not exist yet). */
export function histogramCount(families: Families, name: string, labels: Record<string, string>): number {
  return Number(sampleOf(families, name, labels)?.count ?? 0)
}
