import { createPrng } from './prng.ts'
import { quantileSorted, sortedFinite } from './stats.ts'
import { MIN_RUNS_FOR_INTERVAL } from './welch-log.ts'

/** Resamples of the Monte Carlo path (used only when the exact distribution is too large). */
export const DEFAULT_RESAMPLES = 20_000
/** Fewest resamples, and the draw budget that scales the default down for large sets. */
export const MIN_RESAMPLES = 2_000
export const RESAMPLE_DRAW_BUDGET = 4_000_000
/** Default seed of the Monte Carlo path, so the same inputs always give the same interval. */
export const DEFAULT_SEED = 20_191_001
/**
 * Largest (possible baseline medians × possible candidate medians) computed exactly: a resampled
 * median takes at most n values for odd n and n(n + 1)/2 for even n, so this admits any odd n up
 * to 500 and even n up to 31 per side.
 */
export const EXACT_MAX_PAIRS = 250_000

/**
 * A ratio of medians with its percentile-bootstrap interval. JSON has no Infinity, so an upper
 * bound of +∞ (at least (1 − c)/2 of the bootstrap distribution has a baseline median of 0) is
 * `ci_high: null` with `upper_unbounded: true`; the lower bound of a ratio of non-negative values
 * is always finite.
 */
export interface MedianRatio {
  /** median(candidate) / median(baseline). */
  estimate: number
  ci_low: number
  ci_high: number | null
  upper_unbounded: boolean
  confidence: number
  /**
   * 'exact': the bootstrap distribution itself (every one of the n^n equally likely resamples per
   * side, through the order-statistic distribution of the median), so no seed is involved;
   * 'monte-carlo': `resamples` seeded draws, used only when the exact distribution is too large.
   */
  method: 'exact' | 'monte-carlo'
  resamples: number | null
  seed: number | null
  /** Share of the bootstrap distribution where both medians are 0 (ratio undefined, left out). */
  undefined_share: number
}

/** The interval, or null with the reason. */
export interface MedianRatioResult {
  ratio: MedianRatio | null
  reason: string | null
}

/** Options of `medianRatioInterval`. */
export interface BootstrapOptions {
  resamples?: number
  seed?: number
  confidence?: number
  /** Force the Monte Carlo path even when the exact distribution is small (tests). */
  exact?: boolean
  /** Smallest n per side for an interval (default 3). */
  minN?: number
}

/**
 * Percentile-bootstrap interval of median(candidate) / median(baseline), each side resampled with
 * replacement independently. When the possible resampled medians are few (at most 250,000 pairs;
 * see EXACT_MAX_PAIRS) the bootstrap distribution is computed exactly and its (1 − c)/2 and
 * (1 + c)/2 quantiles (smallest ratio whose cumulative share reaches p) are taken: no seed, no
 * Monte Carlo error. Otherwise 20,000 seeded resamples (fewer above 100 runs per
 * side, see `defaultResamples`) with type-7 quantiles. Ratios with a zero
 * baseline median are +∞ and kept (a bound may be unbounded); 0/0 is undefined and its share is
 * reported. Inputs are sorted first, so input order never matters.
 */
export function medianRatioInterval(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions = {},
): MedianRatioResult {
  const confidence = options.confidence ?? 0.95
  const minN = options.minN ?? MIN_RUNS_FOR_INTERVAL
  const base = sortedFinite(baseline)
  const cand = sortedFinite(candidate)
  if (base.length < minN || cand.length < minN) {
    return {
      ratio: null,
      reason: `baseline has ${base.length} run(s), candidate ${cand.length}: an interval needs at least ${minN} runs per side`,
    }
  }
  const baseMedian = quantileSorted(base, 0.5)
  if (baseMedian === 0)
    return { ratio: null, reason: 'the baseline median is 0: the ratio is undefined' }
  const estimate = quantileSorted(cand, 0.5) / baseMedian
  const alpha = (1 - confidence) / 2

  const useExact =
    options.exact ?? possibleMedians(base.length) * possibleMedians(cand.length) <= EXACT_MAX_PAIRS
  if (useExact) {
    const { ratios, weights, undefinedShare } = ratioDistribution(
      medianDistribution(base),
      medianDistribution(cand),
    )
    const low = discreteQuantile(ratios, weights, alpha)
    const high = discreteQuantile(ratios, weights, 1 - alpha)
    return {
      ratio: {
        estimate,
        ci_low: low,
        ci_high: Number.isFinite(high) ? high : null,
        upper_unbounded: !Number.isFinite(high),
        confidence,
        method: 'exact',
        resamples: null,
        seed: null,
        undefined_share: undefinedShare,
      },
      reason: null,
    }
  }

  const resamples = options.resamples ?? defaultResamples(base.length + cand.length)
  const seed = options.seed ?? DEFAULT_SEED
  const prng = createPrng(seed)
  const ratios: number[] = []
  const countsBase = new Int32Array(base.length)
  const countsCand = new Int32Array(cand.length)
  let undefinedCount = 0
  for (let b = 0; b < resamples; b++) {
    const mb = resampleMedian(base, countsBase, prng.int)
    const mc = resampleMedian(cand, countsCand, prng.int)
    if (mb === 0 && mc === 0) undefinedCount++
    else ratios.push(mb === 0 ? Number.POSITIVE_INFINITY : mc / mb)
  }
  ratios.sort((a, b) => a - b)
  const high = quantileWithInfinity(ratios, 1 - alpha)
  return {
    ratio: {
      estimate,
      ci_low: quantileWithInfinity(ratios, alpha),
      ci_high: Number.isFinite(high) ? high : null,
      upper_unbounded: !Number.isFinite(high),
      confidence,
      method: 'monte-carlo',
      resamples,
      seed,
      undefined_share: undefinedCount / resamples,
    },
    reason: null,
  }
}

/** A discrete distribution: ascending distinct values and their probabilities. */
export interface Distribution {
  values: number[]
  probs: number[]
}

/**
 * Exact distribution of the (type-7) median of a with-replacement resample of size n from an
 * ascending array. With K_j ~ Binomial(n, j/n) the number of draws among the j smallest:
 * odd n, P(median = x_j) = P(K_j ≥ m) − P(K_{j−1} ≥ m), m = (n + 1)/2; even n, the median is the
 * mean of the order statistics m = n/2 and m + 1, whose joint law is a multinomial sum.
 */
export function medianDistribution(sorted: readonly number[]): Distribution {
  const n = sorted.length
  const lf = logFactorials(n)
  const mass = new Map<number, number>()
  const add = (value: number, p: number) => {
    if (p > 0) mass.set(value, (mass.get(value) ?? 0) + p)
  }
  if (n % 2 === 1) {
    const m = (n + 1) / 2
    let previous = 0
    for (let j = 1; j <= n; j++) {
      const g = binomialUpperTail(n, j / n, m, lf)
      add(sorted[j - 1], g - previous)
      previous = g
    }
  } else {
    const m = n / 2
    const p1 = 1 / n
    const ln1 = Math.log(p1)
    for (let i = 1; i <= n; i++) {
      const pLt = (i - 1) / n
      // both middle order statistics at x_i: fewer than m draws below, at least m + 1 up to i
      let same = 0
      for (let a = 0; a <= m - 1; a++) {
        for (let b = m + 1 - a; b <= n - a; b++) {
          same += Math.exp(
            lf[n] -
              lf[a] -
              lf[b] -
              lf[n - a - b] +
              b * ln1 +
              xlogy(a, pLt) +
              xlogy(n - a - b, (n - i) / n),
          )
        }
      }
      add(sorted[i - 1], same)
      for (let j = i + 1; j <= n; j++) {
        // order statistic m at x_i (a below, m − a at i), none strictly between, c ≥ 1 at x_j
        const pGt = (n - j) / n
        let pair = 0
        for (let a = 0; a <= m - 1; a++) {
          for (let c = 1; c <= n - m; c++) {
            pair += Math.exp(
              lf[n] -
                lf[a] -
                lf[m - a] -
                lf[c] -
                lf[n - m - c] +
                (m - a + c) * ln1 +
                xlogy(a, pLt) +
                xlogy(n - m - c, pGt),
            )
          }
        }
        add((sorted[i - 1] + sorted[j - 1]) / 2, pair)
      }
    }
  }
  const values = [...mass.keys()].sort((a, b) => a - b)
  return { values, probs: values.map((v) => mass.get(v)!) }
}

/**
 * 20,000 resamples, fewer for large sets so one interval costs at most 4 M draws (never fewer than
 * 2,000): the bootstrap distribution narrows as 1/√n, so its quantiles need fewer draws to settle.
 */
export function defaultResamples(totalRuns: number): number {
  return Math.min(
    DEFAULT_RESAMPLES,
    Math.max(MIN_RESAMPLES, Math.floor(RESAMPLE_DRAW_BUDGET / totalRuns)),
  )
}

function possibleMedians(n: number): number {
  return n % 2 === 1 ? n : (n * (n + 1)) / 2
}

function ratioDistribution(db: Distribution, dc: Distribution) {
  const pairs: Array<[number, number]> = []
  let undefinedShare = 0
  for (let i = 0; i < db.values.length; i++) {
    for (let j = 0; j < dc.values.length; j++) {
      const w = db.probs[i] * dc.probs[j]
      if (db.values[i] === 0 && dc.values[j] === 0) undefinedShare += w
      else
        pairs.push([db.values[i] === 0 ? Number.POSITIVE_INFINITY : dc.values[j] / db.values[i], w])
    }
  }
  pairs.sort((a, b) => a[0] - b[0])
  const total = pairs.reduce((s, [, w]) => s + w, 0)
  return { ratios: pairs.map(([r]) => r), weights: pairs.map(([, w]) => w / total), undefinedShare }
}

/** Smallest value whose cumulative probability reaches p (1e-12 slack for rounding). */
function discreteQuantile(values: number[], weights: number[], p: number): number {
  let cumulative = 0
  for (let k = 0; k < values.length; k++) {
    cumulative += weights[k]
    if (cumulative >= p - 1e-12) return values[k]
  }
  return values[values.length - 1]
}

/** Type-7 quantile of an ascending array that may end in +∞ (interpolating towards ∞ is ∞). */
function quantileWithInfinity(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  if (!Number.isFinite(sorted[lo])) return sorted[lo]
  if (!Number.isFinite(sorted[hi])) return h > lo ? sorted[hi] : sorted[lo]
  return quantileSorted(sorted, p)
}

/** P(Binomial(n, p) ≥ k). */
function binomialUpperTail(n: number, p: number, k: number, lf: number[]): number {
  if (p >= 1) return 1
  let sum = 0
  for (let x = k; x <= n; x++)
    sum += Math.exp(lf[n] - lf[x] - lf[n - x] + xlogy(x, p) + xlogy(n - x, 1 - p))
  return Math.min(1, sum)
}

/** x · ln y with 0 · ln 0 = 0. */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y)
}

function logFactorials(n: number): number[] {
  const lf = [0]
  for (let k = 1; k <= n; k++) lf.push(lf[k - 1] + Math.log(k))
  return lf
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
