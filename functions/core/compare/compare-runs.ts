import type { CompareResult, SkippedFile } from '#schemas/api.ts'
import type { ScenarioCatalog } from '#schemas/scenarios.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import { adviseOnComparison } from './advice.ts'
import { DEFAULT_SEED, medianRatioInterval } from './bootstrap.ts'
import type { MedianRatio } from './bootstrap.ts'
import { lineRateCeiling } from './ceiling.ts'
import { comparisonKey, explainKeyMismatch } from './comparison-key.ts'
import { limitOfSet } from './limited-by.ts'
import { mannWhitneyU } from './mann-whitney.ts'
import { qualifySet } from './qualify-run.ts'
import { driftOfRuns, pairedRatio } from './repetitions.ts'
import type { MannWhitneyResult } from './mann-whitney.ts'
import { defaultScenarioCatalog, diffHops, findScenario } from './scenario-catalog.ts'
import type { HopDiff } from './scenario-catalog.ts'
import { DEFAULT_UNSTABLE_CV, describeSample, median } from './stats.ts'
import { DEFAULT_BANDS, judgeRatio } from './verdict.ts'
import type { Verdict } from './verdict.ts'
import { geometricMeanRatio, logMoments } from './welch-log.ts'
import type { GeometricMeanRatio } from './welch-log.ts'

export type { CompareResult } from '#schemas/api.ts'

/** What can be compared: TCP throughput (higher is better) or latency (lower is better). */
export type CompareMetric = 'throughput_bps' | 'latency_s'

/** Minimum repetitions per side below which the advice warns (intervals need 3). */
export const DEFAULT_MIN_N = 5

/** Input of `compareRuns`. Rows may have every column but the metric null (see `emptyRunRow`). */
export interface CompareInput {
  baseline: RunRow[]
  candidate: RunRow[]
  metric: CompareMetric
  /** Compare even when comparison keys differ; the result is then flagged `key_mismatch: true`. */
  allowKeyMismatch?: boolean
  /** Scenario catalog for the hop diff; the built-in one when omitted. */
  catalog?: ScenarioCatalog
  /** Seed and resamples of the Monte Carlo bootstrap (only used when exact is too large). */
  seed?: number
  resamples?: number
  /** CV above which a side is flagged unstable (default 0.1). */
  unstableCv?: number
  /** Repetitions per side below which the advice warns (default 5). */
  minN?: number
  /** Practical band δ of the verdict (default 0.05 throughput, 0.1 latency). */
  band?: number
  /** Interval rows of the runs (any order), for run qualification; runs without rows are not judged. */
  intervals?: readonly IntervalRow[]
  /** Interval files that could not be read (reported as `skipped_files`). */
  skippedFiles?: readonly SkippedFile[]
  /** Run ids whose interval rows are in those files: their qualification is unknown. */
  unreadableRuns?: readonly string[]
}

/** One side of a comparison. */
export type CompareSide = CompareResult['baseline']

/** Overhead with its CI; see `definition`. */
export type Overhead = NonNullable<CompareResult['overhead']>

export const OVERHEAD_DEFINITION: Record<CompareMetric, string> = {
  throughput_bps: '1 − candidate/baseline: share of the baseline throughput lost (0.4 = 40% less)',
  latency_s: 'candidate/baseline − 1: extra latency relative to the baseline (0.4 = 40% more)',
}

/**
 * Compares a candidate set of repetitions with a baseline set. The primary figure is the ratio of
 * geometric means candidate/baseline with a Welch t interval on the log values (none below 3 runs
 * per side: null with the reason); overhead follows from it (throughput: 1 − ratio, bounds
 * swapped; latency: ratio − 1). Cross-checks: the ratio of medians with its exact (or, for large
 * n, 20,000-resample) percentile bootstrap, and a two-sided Mann-Whitney p. A verdict against the
 * practical band, each side's bottleneck (`limited_by`, throughput only), ceiling fractions, the
 * differing hops, and advice. Runs whose comparison keys differ are refused (`refused` holds the
 * reasons, no ratio, overhead or p-value) unless `allowKeyMismatch`, which sets `key_mismatch`.
 */
export function compareRuns(input: CompareInput): CompareResult {
  const { metric } = input
  const better = metric === 'throughput_bps' ? 'higher' : 'lower'
  const band = input.band ?? DEFAULT_BANDS[metric]
  const unstableCv = input.unstableCv ?? DEFAULT_UNSTABLE_CV
  const baseValues = metricValues(input.baseline, metric)
  const candValues = metricValues(input.candidate, metric)
  const intervals = input.intervals ?? []
  const catalog = input.catalog ?? defaultScenarioCatalog()
  const unreadable = new Set(input.unreadableRuns ?? [])
  const side = (runs: RunRow[], values: number[]) =>
    describeSide(runs, values, metric, unstableCv, { rows: intervals, unreadable }, catalog)
  const baseline = side(input.baseline, baseValues)
  const candidate = side(input.candidate, candValues)

  const key_differences = keyDifferences(baseline.comparison_keys, candidate.comparison_keys)
  const key_mismatch = key_differences.length > 0
  const refused =
    key_mismatch && !input.allowKeyMismatch
      ? `comparison keys differ: ${key_differences.join('; ')}. Pass allowKeyMismatch to compare anyway.`
      : null

  let ratio: GeometricMeanRatio | null = null
  let ratio_unavailable: string | null = refused === null ? null : 'refused'
  let median_ratio: MedianRatio | null = null
  let median_ratio_unavailable: string | null = ratio_unavailable
  let overhead: Overhead | null = null
  let mann_whitney: MannWhitneyResult | null = null
  let verdict: Verdict
  const paired = refused === null ? pairedRatio(input.baseline, input.candidate, metric) : null
  const point_estimates = {
    ratio_of_geometric_means:
      baseline.geometric_mean !== null &&
      candidate.geometric_mean !== null &&
      baseline.geometric_mean > 0
        ? candidate.geometric_mean / baseline.geometric_mean
        : null,
    ratio_of_medians:
      baseline.stats !== null && candidate.stats !== null && baseline.stats.median !== 0
        ? candidate.stats.median / baseline.stats.median
        : null,
  }
  if (refused === null) {
    const primary = geometricMeanRatio(baseValues, candValues)
    ratio = primary.ratio
    ratio_unavailable = primary.reason
    const cross = medianRatioInterval(baseValues, candValues, {
      seed: input.seed ?? DEFAULT_SEED,
      resamples: input.resamples,
    })
    median_ratio = cross.ratio
    median_ratio_unavailable = cross.reason
    overhead = ratio === null ? null : overheadOf(ratio, metric)
    mann_whitney =
      baseValues.length > 0 && candValues.length > 0 ? mannWhitneyU(candValues, baseValues) : null
    const spread =
      ratio === null
        ? undefined
        : { baseline: logMoments(baseValues).variance, candidate: logMoments(candValues).variance }
    verdict = judgeRatio(ratio, better, band, ratio_unavailable, spread)
  } else {
    verdict = judgeRatio(null, better, band, refused)
  }

  const hops = hopDiff(baseline.scenarios, candidate.scenarios, catalog)
  const partial = {
    metric,
    refused,
    key_mismatch,
    key_differences,
    baseline,
    candidate,
    ratio,
    median_ratio,
    mann_whitney,
    paired,
    verdict,
    skipped_files: [...(input.skippedFiles ?? [])],
  }
  return {
    metric,
    better,
    refused,
    key_mismatch,
    key_differences,
    baseline,
    candidate,
    ratio,
    ratio_unavailable,
    median_ratio,
    median_ratio_unavailable,
    point_estimates,
    overhead,
    mann_whitney,
    paired,
    verdict,
    hops,
    advice: adviseOnComparison(partial, { minN: input.minN ?? DEFAULT_MIN_N }),
    skipped_files: partial.skipped_files,
    method: {
      quantiles: 'type 7 (linear interpolation, R default / numpy linear)',
      ratio_ci:
        'ratio of geometric means, candidate/baseline: exp of a Welch t interval (Welch-Satterthwaite df) on the difference of mean ln values; 95% and 90%; none below 3 runs per side',
      median_ratio_ci:
        'cross-check: percentile bootstrap of median(candidate)/median(baseline), groups resampled independently; the exact bootstrap distribution when small (no seed), else 20,000 seeded resamples (fewer above 100 runs per side, at most 4 M draws); +∞ bounds kept (ci_high null, upper_unbounded true)',
      p_value:
        'two-sided Mann-Whitney U: exact when both n < 50 and no ties, else normal approximation with tie and continuity correction',
      overhead: OVERHEAD_DEFINITION[metric],
      verdict: `band ±${band * 100}% on the ratio: WORSE/BETTER when the 95% interval lies beyond the band, SAME when the 90% interval lies inside it (TOST at 5%), else INCONCLUSIVE`,
      qualification:
        'throughput only, from the interval rows: per run, the non-omitted sum intervals; not steady on a warm-up (leading intervals below 90% of the median of the second half; the suggested -O adds it, rounded up), an OLS trend beyond ±10% across the run with slope p < 0.05, or interval CV > 0.1; fewer than 4 intervals: not judged. Retransmits per 10⁹ bytes sent. Jain fairness (Σx)²/(n·Σx²) of per-stream bytes for -P > 1, below 0.9 flagged',
      drift:
        'Spearman ρ of each side with repetition order (the repetition label, else started_at), two-sided p by the t approximation with n − 2 df as scipy.stats.spearmanr; drifting when |ρ| ≥ 0.5 and p < 0.05; none below 4 runs',
      paired:
        'when every run on both sides carries a repetition label (each once) and ≥ 3 labels are shared: exp of a t interval (n − 1 df) on the mean ln(candidate/baseline) of the pairs; a cross-check, the verdict stays on the unpaired ratio',
      limited_by:
        'per run: ceiling (≥ 95% of the line-rate ceiling), cpu (a side ≥ 90% of one core by iperf3, which misses softirq; or both ends pinned to one core and together ≥ 50% of it), loss (≥ 0.1% of segments retransmitted), else unknown; per set: the label most runs share, else mixed',
    },
  }
}

/**
 * The bare-metal runs (platform 'baremetal' or scenario 'baseline') that share a comparison key
 * with any candidate run: same hardware profile, NIC speed, link MTU and tool settings.
 * Candidate runs themselves are never returned.
 */
export function matchBaseline(candidateRuns: RunRow[], allRuns: RunRow[]): RunRow[] {
  const keys = new Set(candidateRuns.map(keyOf))
  const own = new Set(candidateRuns.map((r) => r.run_id).filter((id) => id !== null))
  return allRuns.filter(
    (run) =>
      (run.platform === 'baremetal' || run.scenario === 'baseline') &&
      keys.has(keyOf(run)) &&
      !(run.run_id !== null && own.has(run.run_id)),
  )
}

/** The run's stored comparison key, else one computed from its columns; '?' when unknown. */
export function keyOf(run: RunRow): string {
  return run.comparison_key ?? comparisonKey(run) ?? '?'
}

/** Usable values of the metric: finite, from runs not marked 'error'. */
export function metricValues(runs: RunRow[], metric: CompareMetric): number[] {
  const values: number[] = []
  for (const run of runs) {
    const value = run[metric]
    if (run.status !== 'error' && value !== null && Number.isFinite(value)) values.push(value)
  }
  return values
}

function describeSide(
  runs: RunRow[],
  values: number[],
  metric: CompareMetric,
  unstableCv: number,
  intervals: { rows: readonly IntervalRow[]; unreadable: ReadonlySet<string> },
  catalog: ScenarioCatalog,
): CompareSide {
  const fractions: number[] = []
  const notes = new Map<string, number>()
  if (metric === 'throughput_bps') {
    for (const r of runs) {
      const scenario = r.scenario === null ? undefined : findScenario(catalog, r.scenario)
      const ceiling = lineRateCeiling(r, {
        encapsulationBytes: scenario?.encapsulation_overhead_bytes,
      })
      const f = r.ceiling_fraction ?? ceiling.ceiling_fraction
      if (f !== null && Number.isFinite(f)) fractions.push(f)
      for (const w of ceiling.warnings) notes.set(w.message, (notes.get(w.message) ?? 0) + 1)
    }
  }
  const positive = values.length > 0 && values.every((v) => v > 0)
  const logs = positive ? logMoments(values) : null
  const usable = runs.filter((r) => r.status !== 'error' && r[metric] !== null)
  return {
    n: values.length,
    excluded: runs.length - values.length,
    scenarios: distinct(runs.map((r) => r.scenario)),
    platforms: distinct(runs.map((r) => r.platform)),
    // only runs that contribute a value: a failed run's key cannot make a side mixed
    comparison_keys: distinct(usable.map(keyOf)),
    stats: describeSample(values, unstableCv),
    geometric_mean: logs === null ? null : Math.exp(logs.mean),
    log_sd: logs === null ? null : Math.sqrt(logs.variance),
    ceiling_fraction_median: fractions.length > 0 ? median(fractions) : null,
    ceiling_notes: [...notes].map(([message, k]) => `${k} run(s): ${message}`).sort(),
    bottleneck: metric === 'throughput_bps' ? limitOfSet(usable) : null,
    qualification:
      metric === 'throughput_bps' ? qualifySet(usable, intervals.rows, intervals.unreadable) : null,
    drift: driftOfRuns(usable, metric),
  }
}

function keyDifferences(baseKeys: string[], candKeys: string[]): string[] {
  const reasons: string[] = []
  if (baseKeys.length > 1)
    reasons.push(`baseline mixes ${baseKeys.length} comparison keys (${baseKeys.join(', ')})`)
  if (candKeys.length > 1)
    reasons.push(`candidate mixes ${candKeys.length} comparison keys (${candKeys.join(', ')})`)
  if (baseKeys.length === 1 && candKeys.length === 1)
    reasons.push(...explainKeyMismatch(baseKeys[0], candKeys[0]))
  return reasons
}

function overheadOf(ratio: GeometricMeanRatio, metric: CompareMetric): Overhead {
  const definition = OVERHEAD_DEFINITION[metric]
  if (metric === 'throughput_bps') {
    return {
      definition,
      estimate: 1 - ratio.estimate,
      ci_low: 1 - ratio.ci_high,
      ci_high: 1 - ratio.ci_low,
    }
  }
  return {
    definition,
    estimate: ratio.estimate - 1,
    ci_low: ratio.ci_low - 1,
    ci_high: ratio.ci_high - 1,
  }
}

function hopDiff(
  baseScenarios: string[],
  candScenarios: string[],
  catalog: ScenarioCatalog,
): HopDiff | null {
  if (baseScenarios.length !== 1 || candScenarios.length !== 1) return null
  const a = findScenario(catalog, baseScenarios[0])
  const b = findScenario(catalog, candScenarios[0])
  return a && b ? diffHops(a, b) : null
}

function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))].sort()
}
