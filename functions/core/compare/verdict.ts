import { tQuantile } from './student-t.ts'
import { MIN_RUNS_FOR_INTERVAL, pAbove, pBelow } from './welch-log.ts'
import type { GeometricMeanRatio } from './welch-log.ts'

/** The four answers a comparison gives against a practical band. */
export type VerdictLabel = 'SAME' | 'BETTER' | 'WORSE' | 'INCONCLUSIVE'

/** Default practical band δ: differences within ±δ of the baseline do not matter. */
export const DEFAULT_BANDS = { throughput_bps: 0.05, latency_s: 0.1 } as const

/** Significance level of every verdict (and of the Holm family). */
export const VERDICT_ALPHA = 0.05

/** Largest runs-per-side figure the sample-size advice searches. */
export const MAX_ADVISED_RUNS = 10_000

/** A verdict with what it rests on. */
export interface Verdict {
  verdict: VerdictLabel
  /** δ: the band is [1 − δ, 1 + δ] on the ratio candidate / baseline. */
  band: number
  band_low: number
  band_high: number
  /**
   * p-value of the verdict's test, on one scale where < 0.05 decides: 2 × the one-sided Welch p
   * that the ratio lies beyond the band edge (BETTER / WORSE), or the TOST p (SAME, the larger of
   * its two one-sided p-values). For INCONCLUSIVE, the smallest of the three. Null without an interval.
   */
  p_value: number | null
  /** Holm-adjusted p_value when one request judges several comparisons; else null. */
  holm_p_value: number | null
  reason: string
  /** INCONCLUSIVE only: runs per side that would resolve it at the observed spread, if ≤ 10,000. */
  runs_per_side_needed: number | null
}

/**
 * Judges the Welch-log interval against the band [1 − δ, 1 + δ] (BETTER/WORSE by `better`):
 * WORSE (BETTER) when the whole 95% interval lies beyond the band on the bad (good) side, SAME
 * when the 90% interval lies inside the band (TOST: both one-sided tests at 5%), else
 * INCONCLUSIVE, with the runs per side that would resolve it. `spread` is the sample variance
 * of the log values per side, for that advice.
 */
export function judgeRatio(
  ratio: GeometricMeanRatio | null,
  better: 'higher' | 'lower',
  band: number,
  unavailable: string | null,
  spread?: { baseline: number; candidate: number },
): Verdict {
  if (!(band > 0 && band < 1)) throw new RangeError(`band must be in (0, 1): ${band}`)
  const low = 1 - band
  const high = 1 + band
  const common = { band, band_low: low, band_high: high, holm_p_value: null }
  if (ratio === null) {
    return {
      ...common,
      verdict: 'INCONCLUSIVE',
      p_value: null,
      reason: `no interval: ${unavailable ?? 'nothing to compare'}`,
      runs_per_side_needed: null,
    }
  }
  const pLow = pBelow(ratio, low)
  const pHigh = pAbove(ratio, high)
  const pSame = Math.max(pAbove(ratio, low), pBelow(ratio, high))
  const pWorse = Math.min(1, 2 * (better === 'higher' ? pLow : pHigh))
  const pBetter = Math.min(1, 2 * (better === 'higher' ? pHigh : pLow))
  const ci = `[${fmt(ratio.ci_low)}, ${fmt(ratio.ci_high)}]`
  const ci90 = `[${fmt(ratio.ci90_low)}, ${fmt(ratio.ci90_high)}]`
  const bandText = `±${fmt(band * 100)}% band [${fmt(low)}, ${fmt(high)}]`
  if (pWorse < VERDICT_ALPHA || pBetter < VERDICT_ALPHA) {
    const worse = pWorse < VERDICT_ALPHA
    const side = (better === 'higher') === worse ? 'below' : 'above'
    return {
      ...common,
      verdict: worse ? 'WORSE' : 'BETTER',
      p_value: worse ? pWorse : pBetter,
      reason: `the 95% interval ${ci} lies entirely ${side} the ${bandText} (${better} is better)`,
      runs_per_side_needed: null,
    }
  }
  if (pSame < VERDICT_ALPHA) {
    return {
      ...common,
      verdict: 'SAME',
      p_value: pSame,
      reason: `the 90% interval ${ci90} lies inside the ${bandText} (TOST at 5%)`,
      runs_per_side_needed: null,
    }
  }
  return {
    ...common,
    verdict: 'INCONCLUSIVE',
    p_value: Math.min(pWorse, pBetter, pSame),
    reason: `the 95% interval ${ci} reaches across an edge of the ${bandText} and the 90% interval ${ci90} is not inside it`,
    runs_per_side_needed: spread ? runsPerSideNeeded(ratio.log_difference, spread, band) : null,
  }
}

/**
 * Runs per side (equal on both sides) that would resolve a comparison whose log ratio and
 * per-side log variances stay as observed: the smallest n ≥ 3 for which the 90% half-width
 * t(0.95, 2n − 2)·√((s²_b + s²_c)/n) fits between the estimate and the nearer band edge (estimate
 * inside the band: SAME), or the 95% half-width fits between the estimate and the band edge it lies
 * beyond (BETTER / WORSE). Null when the estimate sits on an edge, the spread is 0, or n > 10,000.
 */
export function runsPerSideNeeded(
  logDifference: number,
  spread: { baseline: number; candidate: number },
  band: number,
): number | null {
  const lnLow = Math.log(1 - band)
  const lnHigh = Math.log(1 + band)
  const inside = logDifference > lnLow && logDifference < lnHigh
  const margin = inside
    ? Math.min(logDifference - lnLow, lnHigh - logDifference)
    : Math.max(lnLow - logDifference, logDifference - lnHigh)
  const varSum = spread.baseline + spread.candidate
  if (!(margin > 0) || !(varSum > 0)) return null
  const p = inside ? 0.95 : 0.975
  // The half-width falls monotonically with n: binary search on [3, MAX_ADVISED_RUNS].
  const fits = (n: number) => tQuantile(p, 2 * n - 2) * Math.sqrt(varSum / n) < margin
  if (!fits(MAX_ADVISED_RUNS)) return null
  let lo = MIN_RUNS_FOR_INTERVAL
  let hi = MAX_ADVISED_RUNS
  if (fits(lo)) return lo
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (fits(mid)) hi = mid
    else lo = mid
  }
  return hi
}

/**
 * Holm's step-down adjustment: sort ascending, p_(k) × (m − k + 1), running maximum, capped at 1
 * (as R's `p.adjust(p, 'holm')`). Returned in the input order.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0])
  const adjusted = new Array<number>(m)
  let running = 0
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p))
    adjusted[i] = running
  })
  return adjusted
}

/**
 * Holm correction across the comparisons of one request: each verdict's p-value is adjusted over
 * the family of verdicts that have one, and a SAME / BETTER / WORSE whose adjusted p is ≥ 0.05
 * becomes INCONCLUSIVE (saying so). A single comparison is returned unchanged.
 */
export function applyHolm(verdicts: readonly Verdict[]): Verdict[] {
  const indexed = verdicts.map((v, i) => [v, i] as const).filter(([v]) => v.p_value !== null)
  if (indexed.length < 2) return verdicts.map((v) => ({ ...v }))
  const adjusted = holmAdjust(indexed.map(([v]) => v.p_value!))
  const out = verdicts.map((v) => ({ ...v }))
  indexed.forEach(([v, i], k) => {
    out[i].holm_p_value = adjusted[k]
    if (v.verdict !== 'INCONCLUSIVE' && adjusted[k] >= VERDICT_ALPHA) {
      out[i].reason =
        `${v.verdict} at p = ${fmt(v.p_value!)} alone, but not after Holm correction over ${indexed.length} comparisons (adjusted p = ${fmt(adjusted[k])}): ${v.reason}`
      out[i].verdict = 'INCONCLUSIVE'
    }
  })
  return out
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)))
}
