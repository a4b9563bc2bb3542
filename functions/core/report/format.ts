import type { CompareMetric } from '#core/compare/index.ts'
import { formatBps, formatLatency } from '#core/units.ts'
import type { RatioCi } from './report-model.ts'

/** Human formatting shared by the HTML and Markdown renderers, so both print the same strings. */
// Units (Gbit/s, µs, %) come from the one formatter in core/units.ts, shared with the CLI.
export { formatBps, formatLatency, formatPercent } from '#core/units.ts'

/** A metric value in its display unit. */
export function formatValue(metric: CompareMetric, value: number | null): string {
  return metric === 'throughput_bps' ? formatBps(value) : formatLatency(value)
}

/** A fraction as a signed percentage change: 0.8 → "−20.0%". */
export function formatChange(ratio: number): string {
  const pct = (ratio - 1) * 100
  const text = Math.abs(pct).toFixed(1)
  return text === '0.0' ? '±0.0%' : `${pct < 0 ? '−' : '+'}${text}%`
}

/** A ratio with its CI as changes: "−20.0% (95% CI −22.1% to −18.0%)". */
export function formatRatioChange(ratio: RatioCi | null): string {
  if (ratio === null) return '–'
  return `${formatChange(ratio.estimate)} (95% CI ${formatChange(ratio.ci_low)} to ${formatChange(ratio.ci_high)})`
}

/** A ratio with its CI: "0.800 [0.781, 0.823]". */
export function formatRatio(ratio: RatioCi | null): string {
  if (ratio === null) return '–'
  return `${ratio.estimate.toFixed(3)} [${ratio.ci_low.toFixed(3)}, ${ratio.ci_high.toFixed(3)}]`
}

/** A coefficient of variation: "0.023". */
export function formatCv(cv: number | null): string {
  return cv === null || !Number.isFinite(cv) ? '–' : cv.toFixed(3)
}

/** Display name of a metric. */
export function metricName(metric: CompareMetric): string {
  return metric === 'throughput_bps' ? 'throughput' : 'latency'
}
