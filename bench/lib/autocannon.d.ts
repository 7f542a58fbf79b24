// The part of autocannon's programmatic API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    average: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    max: number
  }

  interface RawRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
  }

  interface RequestSpec extends RawRequest {
    setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest
  }

  interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    overallRate?: number
    timeout?: number
    requests?: RequestSpec[]
    method?: string
    headers?: Record<string, string>
    body?: string
  }

  interface Result {
    'latency': Histogram
    'requests': Histogram & { total: number }
    'duration': number
    'errors': number
    'timeouts': number
    'non2xx': number
    '2xx': number
    'statusCodeStats'?: Record<string, { count: number }>
  }

  interface Instance {
    stop(): void
  }

  function autocannon(options: Options): Promise<Result>
  function autocannon(options: Options, done: (error: Error | null, result: Result) => void): Instance
  export default autocannon
}
