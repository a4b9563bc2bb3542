/** The slice of autocannon 9's API the API benchmark uses (the package ships no types). */
declare module 'autocannon' {
  namespace autocannon {
    interface Histogram {
      average: number
      mean: number
      p50: number
      p90: number
      p99: number
      max: number
      total: number
    }
    interface Result {
      duration: number
      errors: number
      timeouts: number
      non2xx: number
      requests: Histogram
      latency: Histogram
      throughput: Histogram
    }
    interface Instance {
      on(event: 'done', listener: (result: Result) => void): void
    }
  }
  function autocannon(options: Record<string, unknown>): autocannon.Instance
  export default autocannon
}
