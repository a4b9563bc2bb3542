import {
  DEFAULT_MIN_N,
  type CompareMetric,
  type CompareResult,
} from '#core/compare/compare-runs.ts'
import {
  formatBitRate as formatBps,
  formatDuration as formatLatency,
  formatPercent,
} from '#core/units.ts'

/**
 * The verdict cell: the API's SAME / BETTER / WORSE / INCONCLUSIVE as it gives it (never one the
 * CLI works out), with the runs per side the API says would resolve an INCONCLUSIVE one.
 */
export function verdictCell(result: CompareResult): string {
  const v = result.verdict
  if (result.refused) return `${v.verdict} (refused)`
  return v.verdict === 'INCONCLUSIVE' && v.runs_per_side_needed !== null
    ? `${v.verdict} (~${v.runs_per_side_needed} runs a side)`
    : v.verdict
}

/**
 * What limited each side, as the API labels the sets (`limited_by`, throughput only):
 * `baseline → candidate`, or one word when both agree; '–' for latency or no runs.
 */
export function limitedByCell(result: CompareResult): string {
  const b = result.baseline.bottleneck?.limited_by
  const c = result.candidate.bottleneck?.limited_by
  if (!b && !c) return '–'
  return b === c ? b! : `${b ?? '–'} → ${c ?? '–'}`
}

/** The metric in its unit: Gbit/s for throughput, µs for latency. */
export function formatMetric(metric: CompareMetric, value: number | null | undefined): string {
  return metric === 'throughput_bps' ? formatBps(value) : formatLatency(value)
}

/**
 * The kinds of hop on the candidate's path and not the baseline's (+), the reverse (−), and hops
 * whose settings changed (~), in path order with a count: `+tap ×2, +vxlan ×2, −physical-nic ×2`.
 */
export function hopsThatDiffer(result: CompareResult): string {
  const h = result.hops
  if (!h) return '–'
  if (h.identical) return 'same path'
  const counted = (sign: string, kinds: string[]) => {
    const counts = new Map<string, number>()
    for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1)
    return [...counts].map(([k, n]) => `${sign}${k}${n > 1 ? ` ×${n}` : ''}`)
  }
  return [
    ...counted(
      '+',
      h.only_in_b.map((x) => x.kind),
    ),
    ...counted(
      '−',
      h.only_in_a.map((x) => x.kind),
    ),
    ...h.changed.map((c) => `~${c.a.kind} ${c.a.name} (${c.fields.join(', ')})`),
  ].join(', ')
}

/** Advice of several comparisons, each sentence once with the scenarios it concerns. */
export function groupAdvice(results: ReadonlyArray<readonly [string, CompareResult]>): string[] {
  const byText = new Map<string, string[]>()
  for (const [id, r] of results)
    for (const a of r.advice) byText.set(a, [...(byText.get(a) ?? []), id])
  return [...byText].map(([text, ids]) =>
    results.length > 1 && ids.length < results.length ? `${ids.join(', ')}: ${text}` : text,
  )
}

/** Column names of the compare table. */
export const COMPARE_COLUMNS = [
  'scenario',
  'n',
  'median',
  'cv',
  'baseline',
  'base n',
  'base median',
  'ratio [95% CI]',
  'overhead [95% CI]',
  'p',
  'verdict',
  'limited by',
  'hops that differ',
] as const

/** Right-aligned columns (numbers). */
export const COMPARE_RIGHT = new Set(['n', 'median', 'cv', 'base n', 'base median', 'p'])

/** One table row (column → text) for a comparison of `scenario` with its baseline. */
export function compareRow(scenario: string, result: CompareResult): Record<string, string> {
  const { metric, candidate, baseline, ratio, overhead } = result
  // The p of the verdict's own test (Holm-adjusted when the API judged several at once).
  const verdictP = result.verdict.holm_p_value ?? result.verdict.p_value
  const flags = [
    Math.min(candidate.n, baseline.n) < DEFAULT_MIN_N ? `n<${DEFAULT_MIN_N}` : null,
    candidate.stats?.unstable || baseline.stats?.unstable ? 'unstable' : null,
    result.key_mismatch ? 'keys differ' : null,
  ].filter((f) => f !== null)
  return {
    scenario,
    n: String(candidate.n),
    median: formatMetric(metric, candidate.stats?.median),
    cv: candidate.stats?.cv == null ? '–' : candidate.stats.cv.toFixed(3),
    baseline: baseline.scenarios.join('+') || '–',
    'base n': String(baseline.n),
    'base median': formatMetric(metric, baseline.stats?.median),
    'ratio [95% CI]': ratio
      ? `${ratio.estimate.toFixed(3)} [${ratio.ci_low.toFixed(3)}, ${ratio.ci_high.toFixed(3)}]`
      : '–',
    'overhead [95% CI]': overhead
      ? `${formatPercent(overhead.estimate)} [${formatPercent(overhead.ci_low)}, ${formatPercent(overhead.ci_high)}]`
      : '–',
    p: verdictP === null ? '–' : verdictP.toPrecision(2),
    verdict: `${verdictCell(result)}${flags.length ? ` ⚠ ${flags.join(', ')}` : ''}`,
    'limited by': limitedByCell(result),
    'hops that differ': hopsThatDiffer(result),
  }
}
