import type { CompareMetric } from '#core/compare/index.ts'

/** Default tolerance: a change smaller than 5% is not called a regression or an improvement. */
export const DEFAULT_TOLERANCE = 0.05

/** The reason given when a group has no runs in the previous window(s). */
export const NO_PREVIOUS_RUNS = 'no runs in the previous window'
/** The reason given when a group had runs before but none in this window. */
export const NO_CURRENT_RUNS = 'no runs in this window'

/** What the change since the previous window amounts to. */
export type Verdict =
  | 'regression'
  | 'improvement'
  | 'within-tolerance'
  | 'inconclusive'
  | 'insufficient-data'
  | 'key-mismatch'

/**
 * The regression rule, judged on the CI of current/previous median (never on the point estimate):
 * throughput (higher is better) regresses when the whole CI lies below 1 − tolerance, latency
 * (lower is better) when the whole CI lies above 1 + tolerance; improvements mirror that. A CI
 * entirely within [1 − tolerance, 1 + tolerance] is `within-tolerance`; any other is `inconclusive`.
 */
export function judgeChange(
  ci: { ci_low: number; ci_high: number },
  metric: CompareMetric,
  tolerance: number = DEFAULT_TOLERANCE,
): Verdict {
  const below = ci.ci_high < 1 - tolerance
  const above = ci.ci_low > 1 + tolerance
  if (below) return metric === 'throughput_bps' ? 'regression' : 'improvement'
  if (above) return metric === 'throughput_bps' ? 'improvement' : 'regression'
  if (ci.ci_low >= 1 - tolerance && ci.ci_high <= 1 + tolerance) return 'within-tolerance'
  return 'inconclusive'
}
