// The part of autocannon's programmatic API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  export interface Histogram {
    average: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    max: number
  }

  export interface RawRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
  }

  export interface RequestSpec extends RawRequest {
    setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest
  }

  export interface Options {
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

  export interface Result {
    'latency': Histogram
    'requests': Histogram & { total: number }
    'duration': number
    'errors': number
    'timeouts': number
    'non2xx': number
    '2xx': number
    'statusCodeStats'?: Record<string, { count: number }>
  }

  export interface Instance {
    stop(): void
  }

  function autocannon(options: Options): Promise<Result>
  function autocannon(options: Options, done: (error: Error | null, result: Result) => void): Instance
  export default autocannon
}
