/**
 * Distribution-free confidence interval of a median from order statistics (the sign-test /
 * binomial interval): with B ~ Binomial(n, ½), [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] covers the population median with
 * probability 1 − 2·P(B ≤ k − 1), and k is the largest order whose coverage is still at least the
 * confidence asked. No interval exists when even [min, max] covers less (n ≤ 5 at 95 %): null, so
 * a chart or table shows "–" rather than a range that claims more than n repetitions can tell.
 * Pure.
 */

/** A median with its interval (null bounds when n is too small) and the interval's coverage. */
export interface MedianInterval {
  median: number
  ci_low: number | null
  ci_high: number | null
  /** 1 − 2·P(B ≤ k − 1): at least `confidence`, exactly what [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] guarantees. */
  coverage: number | null
}

/** P(B ≤ j) for B ~ Binomial(n, ½), j = 0 … n − 1, summed in log space (no underflow at large n). */
function lowerTails(n: number): number[] {
  const tails: number[] = []
  let logChoose = 0 // log C(n, 0)
  let cumulative = 0
  const logHalfN = n * Math.log(0.5)
  for (let j = 0; j < n; j++) {
    cumulative += Math.exp(logChoose + logHalfN)
    tails.push(Math.min(1, cumulative))
    logChoose += Math.log((n - j) / (j + 1))
  }
  return tails
}

/**
 * The type-7 median of the finite values and its order-statistic interval at `confidence`
 * (default 0.95); the interval bounds are null when n is too small for that confidence. Null for
 * no finite value.
 */
export function medianInterval(
  values: readonly number[],
  confidence = 0.95,
): MedianInterval | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return null
  const mid = (n - 1) / 2
  const median = (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2
  const alpha = 1 - confidence
  const tails = lowerTails(n)
  let k = 0
  // the largest k ≤ n/2 with 2·P(B ≤ k − 1) ≤ α
  while (k + 1 <= Math.floor(n / 2) && 2 * tails[k] <= alpha) k++
  if (k === 0) return { median, ci_low: null, ci_high: null, coverage: null }
  return {
    median,
    ci_low: sorted[k - 1],
    ci_high: sorted[n - k],
    coverage: 1 - 2 * tails[k - 1],
  }
}
