import { tQuantile, tSurvival } from './student-t.ts'

/** Fewest runs per side for which any interval is given (below it: null and the reason). */
export const MIN_RUNS_FOR_INTERVAL = 3

/** Ratio of geometric means, candidate / baseline, with Welch t intervals on the log values. */
export interface GeometricMeanRatio {
  /** exp(mean ln candidate − mean ln baseline) = GM(candidate) / GM(baseline). */
  estimate: number
  /** Two-sided interval at `confidence` (0.95). */
  ci_low: number
  ci_high: number
  confidence: number
  /** The 90% interval: the TOST equivalence test at 5% asks whether it lies inside the band. */
  ci90_low: number
  ci90_high: number
  /** mean ln candidate − mean ln baseline. */
  log_difference: number
  /** Standard error of `log_difference`: √(s²_b/n_b + s²_c/n_c) on the log values. */
  log_se: number
  /** Welch-Satterthwaite degrees of freedom; null when both sides are constant (log_se 0). */
  df: number | null
  method: 'Welch t interval on log values (ratio of geometric means)'
}

/** The interval, or null with the reason it cannot be given. */
export interface GeometricMeanRatioResult {
  ratio: GeometricMeanRatio | null
  reason: string | null
}

/**
 * Welch's unequal-variance t interval for the difference of the mean log values, exponentiated:
 * a confidence interval for GM(candidate) / GM(baseline), which equals the ratio of medians when
 * the noise is lognormal. Needs ≥ 3 positive values per side (df ≥ 2); a zero or negative value
 * has no logarithm, so it gives null with the reason (the median ratio still covers it).
 */
export function geometricMeanRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence = 0.95,
): GeometricMeanRatioResult {
  const nb = baseline.length
  const nc = candidate.length
  if (nb < MIN_RUNS_FOR_INTERVAL || nc < MIN_RUNS_FOR_INTERVAL) {
    return {
      ratio: null,
      reason: `baseline has ${nb} run(s), candidate ${nc}: an interval needs at least ${MIN_RUNS_FOR_INTERVAL} runs per side`,
    }
  }
  if ([...baseline, ...candidate].some((v) => !(v > 0) || !Number.isFinite(v))) {
    return {
      ratio: null,
      reason: 'a run has a value ≤ 0: the geometric mean needs positive values (see median_ratio)',
    }
  }
  const lb = logMoments(baseline)
  const lc = logMoments(candidate)
  const vb = lb.variance / nb
  const vc = lc.variance / nc
  const d = lc.mean - lb.mean
  const se = Math.sqrt(vb + vc)
  const df = se === 0 ? null : (vb + vc) ** 2 / (vb ** 2 / (nb - 1) + vc ** 2 / (nc - 1))
  const half = (level: number) => (df === null ? 0 : tQuantile(1 - (1 - level) / 2, df) * se)
  const h = half(confidence)
  const h90 = half(0.9)
  const ratio: GeometricMeanRatio = {
    estimate: Math.exp(d),
    ci_low: Math.exp(d - h),
    ci_high: Math.exp(d + h),
    confidence,
    ci90_low: Math.exp(d - h90),
    ci90_high: Math.exp(d + h90),
    log_difference: d,
    log_se: se,
    df,
    method: 'Welch t interval on log values (ratio of geometric means)',
  }
  if (!Number.isFinite(ratio.ci_high)) {
    return {
      ratio: null,
      reason: `the interval's upper bound exp(${d + h}) exceeds the largest double: the values span hundreds of orders of magnitude`,
    }
  }
  return { ratio, reason: null }
}

/**
 * One-sided Welch p-value on the log scale for H0: ln ratio ≤ ln `bound` (alternative: above).
 * With log_se 0 the answer is 0 or 1 by the side the estimate is on.
 */
export function pAbove(ratio: GeometricMeanRatio, bound: number): number {
  const shift = ratio.log_difference - Math.log(bound)
  if (ratio.df === null) return shift > 0 ? 0 : 1
  return tSurvival(shift / ratio.log_se, ratio.df)
}

/** One-sided p-value for H0: ln ratio ≥ ln `bound` (alternative: below). */
export function pBelow(ratio: GeometricMeanRatio, bound: number): number {
  const shift = Math.log(bound) - ratio.log_difference
  if (ratio.df === null) return shift > 0 ? 0 : 1
  return tSurvival(shift / ratio.log_se, ratio.df)
}

/** Mean and sample variance (n − 1) of the natural logs, summed in ascending order (order-free). */
export function logMoments(values: readonly number[]): { mean: number; variance: number } {
  const logs = [...values].sort((a, b) => a - b).map(Math.log)
  const mean = logs.reduce((s, v) => s + v, 0) / logs.length
  const ss = logs.reduce((s, v) => s + (v - mean) ** 2, 0)
  return { mean, variance: logs.length > 1 ? ss / (logs.length - 1) : 0 }
}
