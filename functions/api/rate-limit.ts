/** A token bucket per key (token id): `perMinute` sustained, bursts up to `burst`. In memory, per instance. */
export function createRateLimiter(options: {
  perMinute: number
  burst: number
  now: () => number
}) {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refillPerMs = options.perMinute / 60_000
  return {
    /** Takes one request; returns 0 when allowed, else the seconds to wait. */
    take(key: string): number {
      const now = options.now()
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: now }
      bucket.tokens = Math.min(options.burst, bucket.tokens + (now - bucket.at) * refillPerMs)
      bucket.at = now
      buckets.set(key, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)
    },
  }
}
export type RateLimiter = ReturnType<typeof createRateLimiter>
