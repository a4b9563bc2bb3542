/**
 * Descriptive statistics of one set of repetitions. Pure; inputs are not mutated.
 *
 * Quantiles use Hyndman & Fan type 7 (linear interpolation between order statistics, R's default
 * `quantile()` and numpy's default 'linear'): h = (n − 1)·p, q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 * The standard deviation is the sample one (divisor n − 1); it is 0 for n = 1.
 */

/** Default coefficient-of-variation threshold above which a set is flagged unstable. */
export const DEFAULT_UNSTABLE_CV = 0.1

/** Summary of one set of repetitions. */
export interface SampleStats {
  n: number
  median: number
  mean: number
  p5: number
  p95: number
  min: number
  max: number
  /** Sample standard deviation (n − 1). */
  sd: number
  /** sd / mean; null when the mean is 0. */
  cv: number | null
  /** cv above the threshold (or mean 0 with spread). */
  unstable: boolean
  unstable_cv_threshold: number
}

/** Ascending copy of finite values. */
export function sortedFinite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
}

/** Type-7 quantile of an ascending array; p in [0, 1]. Throws on an empty array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  if (n === 0) throw new RangeError('quantile of an empty sample')
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability out of range: ${p}`)
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, n - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/** Type-7 quantile of unsorted values. */
export function quantile(values: readonly number[], p: number): number {
  return quantileSorted(sortedFinite(values), p)
}

/** Median (type-7 quantile 0.5: the mean of the two middle values for even n). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

/** Arithmetic mean. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty sample')
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** Sample standard deviation (divisor n − 1); 0 for a single value. */
export function standardDeviation(values: readonly number[]): number {
  const n = values.length
  if (n < 2) return 0
  const m = mean(values)
  let ss = 0
  for (const v of values) ss += (v - m) ** 2
  return Math.sqrt(ss / (n - 1))
}

/** Describes a set; null when it holds no finite value. */
export function describeSample(
  values: readonly number[],
  unstableCv: number = DEFAULT_UNSTABLE_CV,
): SampleStats | null {
  const sorted = sortedFinite(values)
  if (sorted.length === 0) return null
  const m = mean(sorted)
  const sd = standardDeviation(sorted)
  const cv = m === 0 ? null : sd / Math.abs(m)
  return {
    n: sorted.length,
    median: quantileSorted(sorted, 0.5),
    mean: m,
    p5: quantileSorted(sorted, 0.05),
    p95: quantileSorted(sorted, 0.95),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    sd,
    cv,
    unstable: cv === null ? sd > 0 : cv > unstableCv,
    unstable_cv_threshold: unstableCv,
  }
}
