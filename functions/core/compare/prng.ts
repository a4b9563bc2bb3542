/** A seeded pseudo-random source: `next()` returns a float in [0, 1). */
export interface Prng {
  next(): number
  /** Integer in [0, n). */
  int(n: number): number
}

/**
 * mulberry32: a small, fast 32-bit generator, good enough for bootstrap resampling and fully
 * reproducible from its seed (the core never uses Math.random).
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (n: number) => Math.floor(next() * n) }
}
