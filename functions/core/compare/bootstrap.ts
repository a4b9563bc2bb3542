import { createPrng } from './prng.ts'
import { quantileSorted, sortedFinite } from './stats.ts'

/** Default number of bootstrap resamples. */
export const DEFAULT_RESAMPLES = 2000
/** Default seed, so the same inputs always give the same interval. */
export const DEFAULT_SEED = 20_191_001

/** A ratio of medians with its percentile-bootstrap confidence interval. */
export interface RatioInterval {
  /** median(candidate) / median(baseline). */
  estimate: number
  ci_low: number
  ci_high: number
  confidence: number
  resamples: number
  seed: number
  method: 'percentile bootstrap, groups resampled independently'
}

/** Options of `bootstrapRatioOfMedians`. */
export interface BootstrapOptions {
  resamples?: number
  seed?: number
  confidence?: number
}

/**
 * Percentile bootstrap CI of median(candidate) / median(baseline): each group is resampled with
 * replacement independently (sizes kept), the ratio recomputed `resamples` times, and the
 * (1 − c)/2 and (1 + c)/2 type-7 quantiles of those ratios taken. Inputs are sorted first, so the
 * result does not depend on input order; the seeded PRNG makes it reproducible. Null when either
 * group is empty or the baseline median is 0.
 */
export function bootstrapRatioOfMedians(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions = {},
): RatioInterval | null {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES
  const seed = options.seed ?? DEFAULT_SEED
  const confidence = options.confidence ?? 0.95
  const base = sortedFinite(baseline)
  const cand = sortedFinite(candidate)
  if (base.length === 0 || cand.length === 0) return null
  const baseMedian = quantileSorted(base, 0.5)
  if (baseMedian === 0) return null
  const estimate = quantileSorted(cand, 0.5) / baseMedian

  const prng = createPrng(seed)
  const ratios = new Float64Array(resamples)
  const countsBase = new Int32Array(base.length)
  const countsCand = new Int32Array(cand.length)
  for (let b = 0; b < resamples; b++) {
    const mb = resampleMedian(base, countsBase, prng.int)
    const mc = resampleMedian(cand, countsCand, prng.int)
    ratios[b] = mb === 0 ? Number.NaN : mc / mb
  }
  const finite = sortedFinite(Array.from(ratios))
  if (finite.length === 0) return null
  const alpha = (1 - confidence) / 2
  return {
    estimate,
    ci_low: quantileSorted(finite, alpha),
    ci_high: quantileSorted(finite, 1 - alpha),
    confidence,
    resamples,
    seed,
    method: 'percentile bootstrap, groups resampled independently',
  }
}

/**
 * Median (type 7) of one resample of an ascending array, in O(n): draw n indices, count them, and
 * read the middle order statistics off the cumulative counts (a sorted array's resample, sorted,
 * is the sorted array indexed by the sorted draws).
 */
function resampleMedian(sorted: number[], counts: Int32Array, int: (n: number) => number): number {
  const n = sorted.length
  counts.fill(0)
  for (let i = 0; i < n; i++) counts[int(n)]++
  const h = (n - 1) / 2
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  let seen = 0
  let low = Number.NaN
  for (let index = 0; index < n; index++) {
    seen += counts[index]
    if (Number.isNaN(low) && seen > lo) low = sorted[index]
    if (seen > hi) return low + (h - lo) * (sorted[index] - low)
  }
  return low
}
