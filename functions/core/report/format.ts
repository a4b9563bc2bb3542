import type { CompareMetric } from '#core/compare/index.ts'
import { MISSING, formatBitRate, formatChange, formatDuration, formatPercent } from '#core/units.ts'
import type { RatioCi, ReportRatio } from './report-model.ts'

/**
 * The report's formats, on the shared unit formatter (`functions/core/units.ts`, also used by the
 * notebook), so the HTML, the Markdown and the notebook print the same strings.
 */
export { MISSING, formatChange, formatPercent }

/** Bits per second scaled (Gbit/s, Mbit/s...). */
export const formatBps = formatBitRate

/** Seconds scaled (µs, ms, s). */
export const formatLatency = formatDuration

/** A metric value in its display unit. */
export function formatValue(metric: CompareMetric, value: number | null): string {
  return metric === 'throughput_bps' ? formatBps(value) : formatLatency(value)
}

/**
 * A ratio with its CI as changes: "−20.0% (95% CI −22.1% to −18.0%)"; with `hasCi` false (a side
 * with fewer than 2 runs: nothing to resample) the CI is "–" rather than a degenerate interval.
 */
export function formatRatioChange(ratio: RatioCi | null, hasCi = true): string {
  if (ratio === null) return MISSING
  if (!hasCi) return `${formatChange(ratio.estimate)} (95% CI ${MISSING})`
  return `${formatChange(ratio.estimate)} (95% CI ${formatChange(ratio.ci_low)} to ${formatChange(ratio.ci_high)})`
}

/** An overhead fraction with its CI: "40.1% (95% CI 38.0% to 42.3%)", or "40.1% (95% CI –)". */
export function formatOverhead(
  overhead: { estimate: number; ci_low: number | null; ci_high: number | null } | null,
  hasCi = true,
): string {
  if (overhead === null) return MISSING
  if (!hasCi || overhead.ci_low === null || overhead.ci_high === null)
    return `${formatPercent(overhead.estimate)} (95% CI ${MISSING})`
  return `${formatPercent(overhead.estimate)} (95% CI ${formatPercent(overhead.ci_low)} to ${formatPercent(overhead.ci_high)})`
}

/** A ratio with its 95% CI, compact: "0.800 [0.781, 0.823]", or "0.800 [–]" without an interval. */
export function formatRatio(ratio: ReportRatio | null): string {
  if (ratio === null) return MISSING
  if (ratio.ci_low === null || ratio.ci_high === null)
    return `${ratio.estimate.toFixed(3)} [${MISSING}]`
  return `${ratio.estimate.toFixed(3)} [${ratio.ci_low.toFixed(3)}, ${ratio.ci_high.toFixed(3)}]`
}

/** A ratio as a change with its 95% CI, compact: "−20.0% [−22.7%, −17.2%]"; `hasCi` as above. */
export function formatChangeCi(ratio: RatioCi | null, hasCi = true): string {
  if (ratio === null) return MISSING
  if (!hasCi) return `${formatChange(ratio.estimate)} [${MISSING}]`
  return `${formatChange(ratio.estimate)} [${formatChange(ratio.ci_low)}, ${formatChange(ratio.ci_high)}]`
}

/** What limited each side: "cpu / cpu"; "–" for a side without runs or a metric without one. */
export function formatLimits(a: string | null, b: string | null): string {
  return a === null && b === null ? MISSING : `${a ?? MISSING} / ${b ?? MISSING}`
}

/** A coefficient of variation: "0.023". */
export function formatCv(cv: number | null): string {
  return cv === null || !Number.isFinite(cv) ? MISSING : cv.toFixed(3)
}

/** Display name of a metric. */
export function metricName(metric: CompareMetric): string {
  return metric === 'throughput_bps' ? 'throughput' : 'latency'
}
