// The parser's output shape (prom2json's); the package ships no types.
declare module 'parse-prometheus-text-format' {
  export interface PrometheusSample {
    value?: string
    labels?: Record<string, string>
    /** Histograms: cumulative count per `le` bound. */
    buckets?: Record<string, string>
    count?: string
    sum?: string
  }
  export interface PrometheusFamily {
    name: string
    help: string
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
    metrics: PrometheusSample[]
  }
  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[]
}
